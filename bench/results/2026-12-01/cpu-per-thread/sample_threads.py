import os,sys,time
pid=sys.argv[1]; out=open(sys.argv[2],'w')
hz=os.sysconf('SC_CLK_TCK')
while os.path.exists('/proc/'+pid):
    now=int(time.time()*1000)
    try:
        for tid in os.listdir(f'/proc/{pid}/task'):
            try:
                s=open(f'/proc/{pid}/task/{tid}/stat').read()
                name=s[s.index('(')+1:s.rindex(')')]
                f=s[s.rindex(')')+2:].split()
                out.write(f'{now} {tid} {int(f[11])+int(f[12])} {name}\n')
            except Exception: pass
    except Exception: break
    out.flush(); time.sleep(0.5)
