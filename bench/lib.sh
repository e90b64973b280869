# Shared by the benchmark scripts (sourced): timing and per-process CPU.
# now: wall clock in seconds with nanoseconds.
now() { date +%s.%N; }
# cpu_of PID: user+sys seconds the process has used so far (from /proc/PID/stat).
cpu_of() {
  python3 -c "import os,sys; t=open(f'/proc/{sys.argv[1]}/stat').read().rsplit(')',1)[1].split(); print((int(t[11])+int(t[12]))/os.sysconf('SC_CLK_TCK'))" "$1"
}
