using OfflineCirc.Bench;

// Benchmarks of the real app, run as a separate process over a fresh database. One verb per benchmark.
var verbs = new Dictionary<string, Func<BenchOptions, Task<int>>>
{
    ["import"] = ImportBenchmark.RunAsync,
    ["upload"] = UploadBenchmark.RunAsync,
    ["reports"] = ReportsBenchmark.RunAsync,
    ["workers"] = WorkersBenchmark.RunAsync,
    ["consortium"] = ConsortiumBenchmark.RunAsync,
    ["browser"] = BrowserBenchmark.RunAsync,
};

if (args.Length == 0 || !verbs.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"Usage: OfflineCirc.Bench <{string.Join("|", verbs.Keys)}> [--option value ...]");
    Console.Error.WriteLine("  import --patrons 200000 --items 1000000 [--seed S] [--keep true]");
    Console.Error.WriteLine("  upload --lines 1000000 [--process true] [--warm-up N] [--seed S] [--keep true]");
    Console.Error.WriteLine("  reports --rows 1000000 [--concurrency 32] [--requests 640] [--keep true]");
    Console.Error.WriteLine("  workers --transactions 200000 [--seed S] [--keep true]   (two sessions, one worker node, then two)");
    Console.Error.WriteLine("  consortium [--patrons 200000 --items 1000000 --transactions 1000000] [--seed S] [--at-item-branch 0.9] [--outage-start YYYY-MM-DD] [--settle true] [--vacuum-first true]   (settle: wait for autovacuum to finish with the import and upload before the replay; vacuum-first: vacuum and analyze the database before it, for comparison)");
    Console.Error.WriteLine("             [--concurrency 32] [--pages 20] [--keep true]   (import, upload, replay, reports, write floor)");
    Console.Error.WriteLine("  consortium --exceptions-only DATABASE [--concurrency 32] [--pages 20] [--cpu-pages 300]   (the exceptions page step again, on a kept database, and the CPU per request of the page, the status and the liveness probe)");
    Console.Error.WriteLine("  browser --blocked 500000 --pending 50000 [--lookups 200] [--keep true]   (the capture page in headless Chromium)");
    Console.Error.WriteLine("  every verb: [--app-log true] shows the app's own log");
    return 2;
}
var options = BenchOptions.Parse(args[1..]);
AppProcess.ShowLog = options.Flag("app-log");
return await run(options);
