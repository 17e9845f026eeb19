#!/bin/sh
# A stand-in for tensorc that hangs when fusion is on: with --no-fusion it
# is the real tensorc (from PATH), otherwise it sleeps in a child process
# (so that killing this shell alone would leave the sleep holding the
# pipes). Used by random-models-timeout.test.
case " $* " in
  *" --no-fusion "*) exec tensorc "$@" ;;
esac
sleep 300
