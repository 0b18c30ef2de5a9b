#!/usr/bin/env bash
# A one-node SLURM cluster (munged + slurmctld + slurmd on 127.0.0.1) for the cluster tests of
# `amorph run --executor slurm` (tests/cli_slurm.rs).
#
# Usage: scripts/peers/slurm.sh start|stop|status|env
#   start   installs the Debian packages if missing (slurmctld slurmd slurm-client munge,
#           apt-get, as root), writes the configuration under $AMORPH_SLURM_DIR
#           (default /tmp/amorph-slurm), starts the daemons it needs and waits until the node
#           is idle. Safe to repeat: live daemons of ours are kept.
#   stop    cancels the jobs still queued on this cluster, then stops the daemons this script
#           started, by the pids it recorded (never by name); a munged that was already running
#           is left alone.
#   status  says whether the cluster is up (exit 0) or not (exit 1).
#   env     prints `export SLURM_CONF=...`: the client commands (sbatch, squeue) read that file.
#
# Everything lives in $AMORPH_SLURM_DIR: slurm.conf, controller state, slurmd spool, logs,
# pid files. The controller and node listen on ports 6917/6918 (not SLURM's 6817/6818), so a
# real SLURM on the same machine is not disturbed. Facts behind the settings: the comments
# below (measured on Debian 12, SLURM 22.05, 2 cores, no systemd).
set -euo pipefail
export LC_ALL=C

dir=${AMORPH_SLURM_DIR:-/tmp/amorph-slurm}
conf=$dir/slurm.conf
run=$dir/run
node=$(hostname -s)

say() { printf '== slurm: %s\n' "$*"; }
die() { printf 'error: slurm: %s\n' "$*" >&2; exit 1; }

# The pid in a pid file if that process lives and is the named program.
live() { # pidfile program
  local p
  p=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null && [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$2" ] && echo "$p"
}

# Retries a command every 0.2 s for up to $1 seconds.
within() { # seconds command...
  local end=$(($(date +%s) + $1))
  shift
  until "$@"; do
    [ "$(date +%s)" -lt "$end" ] || return 1
    sleep 0.2
  done
}

node_ready() {
  case "$(SLURM_CONF=$conf sinfo -h -n "$node" -o %T 2>/dev/null)" in
    idle | mixed | allocated) return 0 ;;
    *) return 1 ;;
  esac
}

install_packages() {
  if command -v slurmctld slurmd sbatch munged >/dev/null 2>&1 &&
    [ "$(command -v slurmctld slurmd sbatch munged | wc -l)" = 4 ]; then
    return
  fi
  [ "$(id -u)" = 0 ] || die "SLURM is not installed and installing it needs root (apt-get install slurmctld slurmd slurm-client munge)"
  command -v apt-get >/dev/null || die "SLURM is not installed and this is not a Debian-like system (no apt-get)"
  say "installing slurmctld slurmd slurm-client munge (apt-get)"
  # The packages' scripts must not try to start services: there is no init system here.
  local policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    slurmctld slurmd slurm-client munge </dev/null >/dev/null
  [ "$policy" = 0 ] || rm -f /usr/sbin/policy-rc.d
}

configure() {
  mkdir -p "$dir/ctld" "$dir/spool" "$dir/log" "$run"
  [ -s /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
  chown munge:munge /etc/munge/munge.key
  chmod 0600 /etc/munge/munge.key
  # The node line as slurmd detects the hardware, so that the node is never drained for
  # "low socket*core*thread count" or "low RealMemory".
  local hw
  hw=$(slurmd -C 2>/dev/null | head -1)
  case "$hw" in NodeName=*) ;; *) hw="NodeName=$node CPUs=$(nproc) RealMemory=1000" ;; esac
  cat >"$conf.new" <<EOF
# written by scripts/peers/slurm.sh (amorph's test cluster)
ClusterName=amorph-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=6917
SlurmdPort=6918
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
# A requeued task may run again after cred_expire + 1 s (default 120 s).
AuthInfo=cred_expire=10
MpiDefault=none
MailProg=/bin/true
# No cgroups here: plain process tracking, no task containment.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# Without a default memory per CPU every job takes the whole node: tasks would run one by one.
DefMemPerCPU=256
SchedulerType=sched/backfill
# Jobs start within about a second instead of several.
SchedulerParameters=batch_sched_delay=0,bf_interval=1,sched_interval=2
ReturnToService=2
# A task that exits 99 (amorph's "stopped before the time limit, run me again") is requeued.
RequeueExit=99
# Finished jobs stay visible to squeue/scontrol for 10 minutes (there is no accounting database).
MinJobAge=600
StateSaveLocation=$dir/ctld
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$run/slurmctld.pid
SlurmdPidFile=$run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
$hw NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  mv "$conf.new" "$conf"
}

start() {
  local t0
  t0=$(date +%s.%N)
  install_packages
  mkdir -p "$run"
  # munge: reuse a running munged (the round trip works), else start our own.
  install -d -o munge -g munge -m 0755 /run/munge
  # munged runs as the munge user and writes its pid file itself: a directory it may write.
  install -d -o munge -g munge -m 0755 "$run/munge"
  if ! live "$run/munge/munged.pid" munged >/dev/null && ! (munge -n | unmunge) >/dev/null 2>&1; then
    runuser -u munge -- /usr/sbin/munged --pid-file="$run/munge/munged.pid" ||
      die "munged did not start"
  fi
  within 10 sh -c 'munge -n | unmunge >/dev/null 2>&1' || die "munge does not answer"
  if ! live "$run/slurmctld.pid" slurmctld >/dev/null; then
    configure
    # A fresh controller: job ids start at 1 again.
    rm -rf "${dir:?}/ctld"/* "${dir:?}/spool"/*
    : >"$dir/log/jobcomp.log"
    slurmctld -f "$conf" || die "slurmctld did not start (see $dir/log/slurmctld.log)"
  fi
  if ! live "$run/slurmd.pid" slurmd >/dev/null; then
    slurmd -f "$conf" || die "slurmd did not start (see $dir/log/slurmd.log)"
  fi
  if ! within 60 node_ready; then
    SLURM_CONF=$conf scontrol show node "$node" >&2 || true
    tail -n 20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
    die "node $node did not become idle within 60 s"
  fi
  say "up in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s" \
    "(slurmctld $(live "$run/slurmctld.pid" slurmctld), slurmd $(live "$run/slurmd.pid" slurmd);" \
    "SLURM_CONF=$conf)"
}

stop_one() { # pidfile program
  local p
  p=$(live "$1" "$2") || return 0
  kill -TERM "$p"
  within 20 sh -c "! kill -0 $p 2>/dev/null" || kill -KILL "$p"
  say "stopped $2 (pid $p)"
}

stop() {
  if live "$run/slurmctld.pid" slurmctld >/dev/null; then
    # Cancel what is left, so that no job outlives the daemons.
    SLURM_CONF=$conf squeue -h -o %A 2>/dev/null | xargs -r env SLURM_CONF="$conf" scancel 2>/dev/null || true
    within 30 sh -c "[ -z \"\$(SLURM_CONF=$conf squeue -h 2>/dev/null)\" ]" || true
  fi
  stop_one "$run/slurmd.pid" slurmd
  stop_one "$run/slurmctld.pid" slurmctld
  stop_one "$run/munge/munged.pid" munged
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if [ -f "$conf" ] && live "$run/slurmctld.pid" slurmctld >/dev/null && node_ready; then
      say "up (SLURM_CONF=$conf)"
    else
      say "not running"
      exit 1
    fi
    ;;
  env) echo "export SLURM_CONF=$conf" ;;
  *) die "usage: $0 start|stop|status|env" ;;
esac
