using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace OfflineCirc.Bench;

/// <summary>
/// `import`: generates a consortium of the given size with the app's `generate` verb, starts the app over a fresh
/// database and imports every file through POST /api/import/{kind}, then reports the time and the app's peak memory.
/// </summary>
public static class ImportBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var patrons = options.Int("patrons", 200_000);
        var items = options.Int("items", 1_000_000);
        var seed = options.Int("seed", 20260101);
        var dir = Directory.CreateTempSubdirectory("oc-bench-").FullName;
        try
        {
            var clock = Stopwatch.StartNew();
            using (var generate = AppProcess.Start(options.WebDll,
                ["generate", "--patrons", $"{patrons}", "--items", $"{items}", "--seed", $"{seed}", "--out", dir], new Dictionary<string, string>()))
            {
                await generate.WaitForExitAsync();
                if (generate.ExitCode != 0)
                {
                    Console.Error.WriteLine("The generate verb failed.");
                    return 1;
                }
            }
            var files = Directory.GetFiles(dir, "*.csv").Order().ToList();
            Console.WriteLine($"Generated {patrons:N0} patrons and {items:N0} items: {files.Sum(f => new FileInfo(f).Length) / 1048576.0:0.0} MiB in {clock.Elapsed.TotalSeconds:0.0} s");

            await using var database = await BenchDatabase.CreateAsync(options.AdminConnectionString, "oc_bench");
            database.Keep = options.Flag("keep");
            var account = BenchAccount.New();
            await using var app = await AppProcess.StartServerAsync(options.WebDll, AppProcess.Environment(database, account));
            using var http = await app.SignInAsync(account);

            var total = Stopwatch.StartNew();
            foreach (var file in files)
            {
                var kind = Path.GetFileNameWithoutExtension(file)[3..];
                var one = Stopwatch.StartNew();
                await using var stream = File.OpenRead(file);
                using var content = new StreamContent(stream, 1 << 16);
                content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
                var response = await http.PostAsync($"/api/import/{kind}", content);
                var body = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode)
                {
                    Console.Error.WriteLine($"{kind}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 2000)]}");
                    return 1;
                }
                var rows = JsonDocument.Parse(body).RootElement.GetProperty("rows").GetInt32();
                Console.WriteLine($"  {kind,-14} {rows,10:N0} rows {one.Elapsed.TotalSeconds,7:0.0} s");
            }
            var seconds = total.Elapsed.TotalSeconds;
            var peak = AppProcess.PeakMemoryMiB(app.Id);
            Console.WriteLine($"Imported every kind in {seconds:0.0} s (goal: under 60 s); app peak memory (VmHWM) {(peak is null ? "unknown" : $"{peak:0} MiB")}");
            return seconds < 60 ? 0 : 3;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
