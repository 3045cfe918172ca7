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
            var files = await GenerateAsync(options.WebDll, dir, patrons, items, seed);
            if (files is null)
            {
                return 1;
            }

            await using var database = await BenchDatabase.CreateAsync(options.AdminConnectionString, "oc_bench");
            database.Keep = options.Flag("keep");
            var account = BenchAccount.New();
            await using var app = await AppProcess.StartServerAsync(options.WebDll, AppProcess.Environment(database, account));
            using var http = await app.SignInAsync(account);

            var seconds = await ImportFilesAsync(http, files);
            if (seconds is null)
            {
                return 1;
            }
            var peak = AppProcess.PeakMemoryMiB(app.Id);
            Console.WriteLine($"Imported every kind in {seconds:0.0} s (goal: under 60 s); app peak memory (VmHWM) {(peak is null ? "unknown" : $"{peak:0} MiB")}");
            return seconds < 60 ? 0 : 3;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Writes the consortium's CSVs with the app's `generate` verb; the files in load order, or null when it failed.</summary>
    public static async Task<List<string>?> GenerateAsync(string webDll, string dir, int patrons, int items, int seed, string? asOf = null)
    {
        var clock = Stopwatch.StartNew();
        List<string> args = ["generate", "--patrons", $"{patrons}", "--items", $"{items}", "--seed", $"{seed}", "--out", dir];
        if (asOf is not null)
        {
            args.AddRange(["--as-of", asOf]);
        }
        using (var generate = AppProcess.Start(webDll, args, new Dictionary<string, string>()))
        {
            await generate.WaitForExitAsync();
            if (generate.ExitCode != 0)
            {
                Console.Error.WriteLine("The generate verb failed.");
                return null;
            }
        }
        // The verb writes one file per kind, named so that their order is the load order.
        var files = Directory.GetFiles(dir, "*.csv").Order().ToList();
        Console.WriteLine($"Generated {patrons:N0} patrons and {items:N0} items: {files.Sum(f => new FileInfo(f).Length) / 1048576.0:0.0} MiB in {clock.Elapsed.TotalSeconds:0.0} s");
        return files;
    }

    /// <summary>Imports the files one kind after the other through the API; the seconds it took, or null when one failed.</summary>
    public static async Task<double?> ImportFilesAsync(HttpClient http, IEnumerable<string> files)
    {
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
                return null;
            }
            var rows = JsonDocument.Parse(body).RootElement.GetProperty("rows").GetInt32();
            Console.WriteLine($"  {kind,-14} {rows,10:N0} rows {one.Elapsed.TotalSeconds,7:0.0} s");
        }
        return total.Elapsed.TotalSeconds;
    }
}
