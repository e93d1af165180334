import sys,glob,collections,re
d=sys.argv[1]
files=sorted(glob.glob(d+'/engine-*.txt'), key=lambda f:int(f.split('-')[-1][:-4]))
wins=[]
for f in files:
    L=open(f).read().split('\n'); first=0; last=0
    for l in L:
        if not l: continue
        p=l.split()
        if p[0]=='A':
            if not p[2].startswith('warm') and not first: first=int(p[1])
        elif first: last=int(p[0])
    if first: wins.append((first,last,f))
# group engines by overlapping windows
runs=[]
for w in sorted(wins):
    if runs and w[0]-runs[-1][0] < 2000: runs[-1]=(runs[-1][0],max(runs[-1][1],w[1]))
    else: runs.append((w[0],w[1]))
samples=collections.defaultdict(list)
for l in open(d+'/threads.log'):
    t,tid,ticks,name=l.rstrip('\n').split(' ',3)
    samples[(tid,name)].append((int(t),int(ticks)))
def at(seq,t):
    v=0
    for ts,tk in seq:
        if ts<=t: v=tk
    return v
for a,b in runs:
    g=collections.Counter()
    for (tid,name),seq in samples.items():
        dt=at(seq,b)-at(seq,a)
        if dt: g[re.sub(r'[-# ]?\d+','',name)[:40]]+=dt*10
    tot=sum(g.values())
    print('run',a%1000000,'wall',b-a,'cpu ms',tot, ' '.join(f'{k}:{v}' for k,v in g.most_common(12)))
