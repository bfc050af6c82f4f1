// Entry point of cretoai-fast-loadgen; the harness itself is built under the load-harness issue.
return 0;
