CREATE TEMPORARY VIEW requests AS SELECT * FROM (VALUES
('r0','doc0','Document 0:
years if make by this three but those question from come could on had between work be first not story long it water been two stream question it system question make by these as window who after work more river there company before summer into one report company them how but market an water it engine new year take get through another question never just did my into any or system did right old well being made village this there against work what well if great work with are window company through w
Question: life through this firs'),
('r1','doc1','Document 1:
should history year report never be not man while an it must system being most state down is same because up teacher their old it time made when my make very year or what being world market even will here market even men each little then if have about if then then to us reason into our most of no work take people teacher water back has against engine at never summer very make world very one might world it them be some both said all well morning at one the number if three which those doctor was t
Question: get this could many be'),
('r2','doc2','Document 2:
some doctor too if now down evening those while been their us another last might must have more one well our last said go is new used just no garden was used did not like go those what each two take river off much two teacher can first world may other go old each that that even know like can evening down being should those or these one may know only way new might signal teacher the last down have there good other last about between your had make same world have so up has that if answer another n
Question: out those more now wil'),
('r3','doc3','Document 3:
teacher history while should out market market when is to one right will between can could that now could after off first reason where like garden work when it because day question go work off when take if right since in both into village of if its more while engine there window it where go used window might were summer from my them me with which come under summer that an life where teacher come village against other me under since take last come my came like summer other being will men been ver
Question: another these but make'),
('r4','doc0','Document 0:
years if make by this three but those question from come could on had between work be first not story long it water been two stream question it system question make by these as window who after work more river there company before summer into one report company them how but market an water it engine new year take get through another question never just did my into any or system did right old well being made village this there against work what well if great work with are window company through w
Question: us said two said here '),
('r5','doc1','Document 1:
should history year report never be not man while an it must system being most state down is same because up teacher their old it time made when my make very year or what being world market even will here market even men each little then if have about if then then to us reason into our most of no work take people teacher water back has against engine at never summer very make world very one might world it them be some both said all well morning at one the number if three which those doctor was t
Question: still way work only ea'),
('r6','doc2','Document 2:
some doctor too if now down evening those while been their us another last might must have more one well our last said go is new used just no garden was used did not like go those what each two take river off much two teacher can first world may other go old each that that even know like can evening down being should those or these one may know only way new might signal teacher the last down have there good other last about between your had make same world have so up has that if answer another n
Question: back not those in way '),
('r7','doc3','Document 3:
teacher history while should out market market when is to one right will between can could that now could after off first reason where like garden work when it because day question go work off when take if right since in both into village of if its more while engine there window it where go used window might were summer from my them me with which come under summer that an life where teacher come village against other me under since take last come my came like summer other being will men been ver
Question: day both in state much'),
('r8','doc0','Document 0:
years if make by this three but those question from come could on had between work be first not story long it water been two stream question it system question make by these as window who after work more river there company before summer into one report company them how but market an water it engine new year take get through another question never just did my into any or system did right old well being made village this there against work what well if great work with are window company through w
Question: go signal also against'),
('r9','doc1','Document 1:
should history year report never be not man while an it must system being most state down is same because up teacher their old it time made when my make very year or what being world market even will here market even men each little then if have about if then then to us reason into our most of no work take people teacher water back has against engine at never summer very make world very one might world it them be some both said all well morning at one the number if three which those doctor was t
Question: an all may one have ou'),
('r10','doc2','Document 2:
some doctor too if now down evening those while been their us another last might must have more one well our last said go is new used just no garden was used did not like go those what each two take river off much two teacher can first world may other go old each that that even know like can evening down being should those or these one may know only way new might signal teacher the last down have there good other last about between your had make same world have so up has that if answer another n
Question: man with into man when'),
('r11','doc3','Document 3:
teacher history while should out market market when is to one right will between can could that now could after off first reason where like garden work when it because day question go work off when take if right since in both into village of if its more while engine there window it where go used window might were summer from my them me with which come under summer that an life where teacher come village against other me under since take last come my came like summer other being will men been ver
Question: long like still if thr'),
('r12','doc0','Document 0:
years if make by this three but those question from come could on had between work be first not story long it water been two stream question it system question make by these as window who after work more river there company before summer into one report company them how but market an water it engine new year take get through another question never just did my into any or system did right old well being made village this there against work what well if great work with are window company through w
Question: against company old wh'),
('r13','doc1','Document 1:
should history year report never be not man while an it must system being most state down is same because up teacher their old it time made when my make very year or what being world market even will here market even men each little then if have about if then then to us reason into our most of no work take people teacher water back has against engine at never summer very make world very one might world it them be some both said all well morning at one the number if three which those doctor was t
Question: had even from into lon'),
('r14','doc2','Document 2:
some doctor too if now down evening those while been their us another last might must have more one well our last said go is new used just no garden was used did not like go those what each two take river off much two teacher can first world may other go old each that that even know like can evening down being should those or these one may know only way new might signal teacher the last down have there good other last about between your had make same world have so up has that if answer another n
Question: this over in had like '),
('r15','doc3','Document 3:
teacher history while should out market market when is to one right will between can could that now could after off first reason where like garden work when it because day question go work off when take if right since in both into village of if its more while engine there window it where go used window might were summer from my them me with which come under summer that an life where teacher come village against other me under since take last come my came like summer other being will men been ver
Question: village these be our b'),
('r16','doc0','Document 0:
years if make by this three but those question from come could on had between work be first not story long it water been two stream question it system question make by these as window who after work more river there company before summer into one report company them how but market an water it engine new year take get through another question never just did my into any or system did right old well being made village this there against work what well if great work with are window company through w
Question: never and way story me'),
('r17','doc1','Document 1:
should history year report never be not man while an it must system being most state down is same because up teacher their old it time made when my make very year or what being world market even will here market even men each little then if have about if then then to us reason into our most of no work take people teacher water back has against engine at never summer very make world very one might world it them be some both said all well morning at one the number if three which those doctor was t
Question: over signal when as ri'),
('r18','doc2','Document 2:
some doctor too if now down evening those while been their us another last might must have more one well our last said go is new used just no garden was used did not like go those what each two take river off much two teacher can first world may other go old each that that even know like can evening down being should those or these one may know only way new might signal teacher the last down have there good other last about between your had make same world have so up has that if answer another n
Question: first all said our by '),
('r19','doc3','Document 3:
teacher history while should out market market when is to one right will between can could that now could after off first reason where like garden work when it because day question go work off when take if right since in both into village of if its more while engine there window it where go used window might were summer from my them me with which come under summer that an life where teacher come village against other me under since take last come my came like summer other being will men been ver
Question: other must stream befo'),
('r20','doc0','Document 0:
years if make by this three but those question from come could on had between work be first not story long it water been two stream question it system question make by these as window who after work more river there company before summer into one report company them how but market an water it engine new year take get through another question never just did my into any or system did right old well being made village this there against work what well if great work with are window company through w
Question: used new after being o'),
('r21','doc1','Document 1:
should history year report never be not man while an it must system being most state down is same because up teacher their old it time made when my make very year or what being world market even will here market even men each little then if have about if then then to us reason into our most of no work take people teacher water back has against engine at never summer very make world very one might world it them be some both said all well morning at one the number if three which those doctor was t
Question: about man down in now '),
('r22','doc2','Document 2:
some doctor too if now down evening those while been their us another last might must have more one well our last said go is new used just no garden was used did not like go those what each two take river off much two teacher can first world may other go old each that that even know like can evening down being should those or these one may know only way new might signal teacher the last down have there good other last about between your had make same world have so up has that if answer another n
Question: to in come story them '),
('r23','doc3','Document 3:
teacher history while should out market market when is to one right will between can could that now could after off first reason where like garden work when it because day question go work off when take if right since in both into village of if its more while engine there window it where go used window might were summer from my them me with which come under summer that an life where teacher come village against other me under since take last come my came like summer other being will men been ver
Question: while any being were h'),
('r24','doc0','Document 0:
years if make by this three but those question from come could on had between work be first not story long it water been two stream question it system question make by these as window who after work more river there company before summer into one report company them how but market an water it engine new year take get through another question never just did my into any or system did right old well being made village this there against work what well if great work with are window company through w
Question: old garden very come b'),
('r25','doc1','Document 1:
should history year report never be not man while an it must system being most state down is same because up teacher their old it time made when my make very year or what being world market even will here market even men each little then if have about if then then to us reason into our most of no work take people teacher water back has against engine at never summer very make world very one might world it them be some both said all well morning at one the number if three which those doctor was t
Question: time may well only wil'),
('r26','doc2','Document 2:
some doctor too if now down evening those while been their us another last might must have more one well our last said go is new used just no garden was used did not like go those what each two take river off much two teacher can first world may other go old each that that even know like can evening down being should those or these one may know only way new might signal teacher the last down have there good other last about between your had make same world have so up has that if answer another n
Question: still down at when to '),
('r27','doc3','Document 3:
teacher history while should out market market when is to one right will between can could that now could after off first reason where like garden work when it because day question go work off when take if right since in both into village of if its more while engine there window it where go used window might were summer from my them me with which come under summer that an life where teacher come village against other me under since take last come my came like summer other being will men been ver
Question: stream such here said '),
('r28','doc0','Document 0:
years if make by this three but those question from come could on had between work be first not story long it water been two stream question it system question make by these as window who after work more river there company before summer into one report company them how but market an water it engine new year take get through another question never just did my into any or system did right old well being made village this there against work what well if great work with are window company through w
Question: have little come most '),
('r29','doc1','Document 1:
should history year report never be not man while an it must system being most state down is same because up teacher their old it time made when my make very year or what being world market even will here market even men each little then if have about if then then to us reason into our most of no work take people teacher water back has against engine at never summer very make world very one might world it them be some both said all well morning at one the number if three which those doctor was t
Question: any also as day than s'),
('r30','doc2','Document 2:
some doctor too if now down evening those while been their us another last might must have more one well our last said go is new used just no garden was used did not like go those what each two take river off much two teacher can first world may other go old each that that even know like can evening down being should those or these one may know only way new might signal teacher the last down have there good other last about between your had make same world have so up has that if answer another n
Question: over being the our tho'),
('r31','doc3','Document 3:
teacher history while should out market market when is to one right will between can could that now could after off first reason where like garden work when it because day question go work off when take if right since in both into village of if its more while engine there window it where go used window might were summer from my them me with which come under summer that an life where teacher come village against other me under since take last come my came like summer other being will men been ver
Question: much market years any '),
('r32','doc0','Document 0:
years if make by this three but those question from come could on had between work be first not story long it water been two stream question it system question make by these as window who after work more river there company before summer into one report company them how but market an water it engine new year take get through another question never just did my into any or system did right old well being made village this there against work what well if great work with are window company through w
Question: must time each into th'),
('r33','doc1','Document 1:
should history year report never be not man while an it must system being most state down is same because up teacher their old it time made when my make very year or what being world market even will here market even men each little then if have about if then then to us reason into our most of no work take people teacher water back has against engine at never summer very make world very one might world it them be some both said all well morning at one the number if three which those doctor was t
Question: your little have while'),
('r34','doc2','Document 2:
some doctor too if now down evening those while been their us another last might must have more one well our last said go is new used just no garden was used did not like go those what each two take river off much two teacher can first world may other go old each that that even know like can evening down being should those or these one may know only way new might signal teacher the last down have there good other last about between your had make same world have so up has that if answer another n
Question: even off other my come'),
('r35','doc3','Document 3:
teacher history while should out market market when is to one right will between can could that now could after off first reason where like garden work when it because day question go work off when take if right since in both into village of if its more while engine there window it where go used window might were summer from my them me with which come under summer that an life where teacher come village against other me under since take last come my came like summer other being will men been ver
Question: of not our had more wo'),
('r36','doc0','Document 0:
years if make by this three but those question from come could on had between work be first not story long it water been two stream question it system question make by these as window who after work more river there company before summer into one report company them how but market an water it engine new year take get through another question never just did my into any or system did right old well being made village this there against work what well if great work with are window company through w
Question: reason with very is di'),
('r37','doc1','Document 1:
should history year report never be not man while an it must system being most state down is same because up teacher their old it time made when my make very year or what being world market even will here market even men each little then if have about if then then to us reason into our most of no work take people teacher water back has against engine at never summer very make world very one might world it them be some both said all well morning at one the number if three which those doctor was t
Question: many then have questio'),
('r38','doc2','Document 2:
some doctor too if now down evening those while been their us another last might must have more one well our last said go is new used just no garden was used did not like go those what each two take river off much two teacher can first world may other go old each that that even know like can evening down being should those or these one may know only way new might signal teacher the last down have there good other last about between your had make same world have so up has that if answer another n
Question: used out history good '),
('r39','doc3','Document 3:
teacher history while should out market market when is to one right will between can could that now could after off first reason where like garden work when it because day question go work off when take if right since in both into village of if its more while engine there window it where go used window might were summer from my them me with which come under summer that an life where teacher come village against other me under since take last come my came like summer other being will men been ver
Question: old if most engine no '),
('r40','doc0','Document 0:
years if make by this three but those question from come could on had between work be first not story long it water been two stream question it system question make by these as window who after work more river there company before summer into one report company them how but market an water it engine new year take get through another question never just did my into any or system did right old well being made village this there against work what well if great work with are window company through w
Question: against stream get com'),
('r41','doc1','Document 1:
should history year report never be not man while an it must system being most state down is same because up teacher their old it time made when my make very year or what being world market even will here market even men each little then if have about if then then to us reason into our most of no work take people teacher water back has against engine at never summer very make world very one might world it them be some both said all well morning at one the number if three which those doctor was t
Question: will right come number'),
('r42','doc2','Document 2:
some doctor too if now down evening those while been their us another last might must have more one well our last said go is new used just no garden was used did not like go those what each two take river off much two teacher can first world may other go old each that that even know like can evening down being should those or these one may know only way new might signal teacher the last down have there good other last about between your had make same world have so up has that if answer another n
Question: in question may have t'),
('r43','doc3','Document 3:
teacher history while should out market market when is to one right will between can could that now could after off first reason where like garden work when it because day question go work off when take if right since in both into village of if its more while engine there window it where go used window might were summer from my them me with which come under summer that an life where teacher come village against other me under since take last come my came like summer other being will men been ver
Question: with who just one too '),
('r44','doc0','Document 0:
years if make by this three but those question from come could on had between work be first not story long it water been two stream question it system question make by these as window who after work more river there company before summer into one report company them how but market an water it engine new year take get through another question never just did my into any or system did right old well being made village this there against work what well if great work with are window company through w
Question: window by stream in st'),
('r45','doc1','Document 1:
should history year report never be not man while an it must system being most state down is same because up teacher their old it time made when my make very year or what being world market even will here market even men each little then if have about if then then to us reason into our most of no work take people teacher water back has against engine at never summer very make world very one might world it them be some both said all well morning at one the number if three which those doctor was t
Question: take any great our the'),
('r46','doc2','Document 2:
some doctor too if now down evening those while been their us another last might must have more one well our last said go is new used just no garden was used did not like go those what each two take river off much two teacher can first world may other go old each that that even know like can evening down being should those or these one may know only way new might signal teacher the last down have there good other last about between your had make same world have so up has that if answer another n
Question: never be off three not'),
('r47','doc3','Document 3:
teacher history while should out market market when is to one right will between can could that now could after off first reason where like garden work when it because day question go work off when take if right since in both into village of if its more while engine there window it where go used window might were summer from my them me with which come under summer that an life where teacher come village against other me under since take last come my came like summer other being will men been ver
Question: right an while now are'),
('r48','doc0','Document 0:
years if make by this three but those question from come could on had between work be first not story long it water been two stream question it system question make by these as window who after work more river there company before summer into one report company them how but market an water it engine new year take get through another question never just did my into any or system did right old well being made village this there against work what well if great work with are window company through w
Question: our do new then day ol'),
('r49','doc1','Document 1:
should history year report never be not man while an it must system being most state down is same because up teacher their old it time made when my make very year or what being world market even will here market even men each little then if have about if then then to us reason into our most of no work take people teacher water back has against engine at never summer very make world very one might world it them be some both said all well morning at one the number if three which those doctor was t
Question: little are last made a'),
('r50','doc2','Document 2:
some doctor too if now down evening those while been their us another last might must have more one well our last said go is new used just no garden was used did not like go those what each two take river off much two teacher can first world may other go old each that that even know like can evening down being should those or these one may know only way new might signal teacher the last down have there good other last about between your had make same world have so up has that if answer another n
Question: doctor only are mornin'),
('r51','doc3','Document 3:
teacher history while should out market market when is to one right will between can could that now could after off first reason where like garden work when it because day question go work off when take if right since in both into village of if its more while engine there window it where go used window might were summer from my them me with which come under summer that an life where teacher come village against other me under since take last come my came like summer other being will men been ver
Question: no much such many sign'),
('r52','doc0','Document 0:
years if make by this three but those question from come could on had between work be first not story long it water been two stream question it system question make by these as window who after work more river there company before summer into one report company them how but market an water it engine new year take get through another question never just did my into any or system did right old well being made village this there against work what well if great work with are window company through w
Question: number who to might it'),
('r53','doc1','Document 1:
should history year report never be not man while an it must system being most state down is same because up teacher their old it time made when my make very year or what being world market even will here market even men each little then if have about if then then to us reason into our most of no work take people teacher water back has against engine at never summer very make world very one might world it them be some both said all well morning at one the number if three which those doctor was t
Question: us over which time gre'),
('r54','doc2','Document 2:
some doctor too if now down evening those while been their us another last might must have more one well our last said go is new used just no garden was used did not like go those what each two take river off much two teacher can first world may other go old each that that even know like can evening down being should those or these one may know only way new might signal teacher the last down have there good other last about between your had make same world have so up has that if answer another n
Question: after go made same ano'),
('r55','doc3','Document 3:
teacher history while should out market market when is to one right will between can could that now could after off first reason where like garden work when it because day question go work off when take if right since in both into village of if its more while engine there window it where go used window might were summer from my them me with which come under summer that an life where teacher come village against other me under since take last come my came like summer other being will men been ver
Question: another there market o'),
('r56','doc0','Document 0:
years if make by this three but those question from come could on had between work be first not story long it water been two stream question it system question make by these as window who after work more river there company before summer into one report company them how but market an water it engine new year take get through another question never just did my into any or system did right old well being made village this there against work what well if great work with are window company through w
Question: must have while in aft'),
('r57','doc1','Document 1:
should history year report never be not man while an it must system being most state down is same because up teacher their old it time made when my make very year or what being world market even will here market even men each little then if have about if then then to us reason into our most of no work take people teacher water back has against engine at never summer very make world very one might world it them be some both said all well morning at one the number if three which those doctor was t
Question: day are come under ove'),
('r58','doc2','Document 2:
some doctor too if now down evening those while been their us another last might must have more one well our last said go is new used just no garden was used did not like go those what each two take river off much two teacher can first world may other go old each that that even know like can evening down being should those or these one may know only way new might signal teacher the last down have there good other last about between your had make same world have so up has that if answer another n
Question: good some some are rep'),
('r59','doc3','Document 3:
teacher history while should out market market when is to one right will between can could that now could after off first reason where like garden work when it because day question go work off when take if right since in both into village of if its more while engine there window it where go used window might were summer from my them me with which come under summer that an life where teacher come village against other me under since take last come my came like summer other being will men been ver
Question: not more right our jus'),
('r60','doc0','Document 0:
years if make by this three but those question from come could on had between work be first not story long it water been two stream question it system question make by these as window who after work more river there company before summer into one report company them how but market an water it engine new year take get through another question never just did my into any or system did right old well being made village this there against work what well if great work with are window company through w
Question: when evening since eve'),
('r61','doc1','Document 1:
should history year report never be not man while an it must system being most state down is same because up teacher their old it time made when my make very year or what being world market even will here market even men each little then if have about if then then to us reason into our most of no work take people teacher water back has against engine at never summer very make world very one might world it them be some both said all well morning at one the number if three which those doctor was t
Question: all those then year us'),
('r62','doc2','Document 2:
some doctor too if now down evening those while been their us another last might must have more one well our last said go is new used just no garden was used did not like go those what each two take river off much two teacher can first world may other go old each that that even know like can evening down being should those or these one may know only way new might signal teacher the last down have there good other last about between your had make same world have so up has that if answer another n
Question: very was so the great '),
('r63','doc3','Document 3:
teacher history while should out market market when is to one right will between can could that now could after off first reason where like garden work when it because day question go work off when take if right since in both into village of if its more while engine there window it where go used window might were summer from my them me with which come under summer that an life where teacher come village against other me under since take last come my came like summer other being will men been ver
Question: still many more men do')) AS t(id, doc_id, prompt);
CREATE MODEL reader INPUT (prompt STRING) OUTPUT (completion STRING, prompt_tokens INT, cached_prompt_tokens INT)
  WITH ('provider' = 'prefixflow', 'model' = 'dummy:llama-110m', 'max-tokens' = '32', 'temperature' = '0');
SELECT id, prompt_tokens, cached_prompt_tokens FROM ML_PREDICT(TABLE requests, MODEL reader, DESCRIPTOR(prompt), MAP['max-concurrent-operations', '64']);
