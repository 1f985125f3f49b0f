# background jobs and wait: exit statuses, ordering through a pipe, wait for all
(sleep 0.05; exit 3) &
p1=$!
(exit 5) &
p2=$!
wait $p2; echo "second job: $?"
wait $p1; echo "first job: $?"
for i in 1 2 3; do (sleep 0.0$i; echo "job $i done") & done
wait
echo "all waited"
sleep 10 &
k=$!
kill $k
wait $k
echo "killed job status $?"
true &
wait
echo "final $?"
