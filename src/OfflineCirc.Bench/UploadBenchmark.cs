using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using OfflineCirc.Core.Demo;

namespace OfflineCirc.Bench;

/// <summary>
/// `upload`: seeds the demo consortium, writes a native file of generated desk activity over it, uploads it through the
/// real HTTP endpoint and reports lines per second and the app's peak memory. With `--process true` it then replays
/// the session in a fresh app process and reports that too.
/// </summary>
public static class UploadBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var lines = options.Int("lines", 1_000_000);
        var seed = options.Int("seed", 20261129);
        await using var database = await BenchDatabase.CreateAsync(options.AdminConnectionString, "oc_bench_upload");
        database.Keep = options.Flag("keep");
        var account = BenchAccount.New();
        var environment = AppProcess.Environment(database, account);

        var clock = Stopwatch.StartNew();
        await using (await AppProcess.StartServerAsync(options.WebDll, new Dictionary<string, string>(environment) { ["Demo__Seed"] = "true" }))
        {
            Console.WriteLine($"Seeded the demo consortium in {clock.Elapsed.TotalSeconds:0.0} s");
        }

        // By default the measured upload is the first after start-up, as after an outage, and pays for compiling the
        // intake path; `--warm-up N` first uploads N other lines to another session to measure a warmed-up server.
        var warmUpLines = options.Int("warm-up", 0);
        var keepFile = options.Text("out", "");
        var file = keepFile.Length > 0 ? keepFile : Path.Combine(Path.GetTempPath(), $"oc-bench-{Guid.NewGuid():N}.jsonl");
        var warmUpFile = Path.Combine(Path.GetTempPath(), $"oc-bench-warm-up-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
            var inputs = await GeneratorInputs.LoadAsync(dataSource, 100_000, 1_000_000);
            clock.Restart();
            await WriteFileAsync(file, inputs, seed, lines);
            Console.WriteLine($"Wrote {lines:N0} lines, {new FileInfo(file).Length / 1048576.0:0.0} MiB, in {clock.Elapsed.TotalSeconds:0.0} s");
            // Another seed, so the warm-up's ids are not the measured file's.
            if (warmUpLines > 0)
            {
                await WriteFileAsync(warmUpFile, inputs, seed + 1, warmUpLines);
            }

            long session;
            await using (var app = await AppProcess.StartServerAsync(options.WebDll, new Dictionary<string, string>(environment)))
            {
                using var http = await app.SignInAsync(account);
                if (warmUpLines > 0)
                {
                    var (_, warmUpSeconds, _) = await UploadAsync(http, warmUpFile, inputs.Workstations[0].Name);
                    Console.WriteLine($"Warm-up: uploaded {warmUpLines:N0} other lines to another session in {warmUpSeconds:0.0} s");
                }
                (session, var seconds, var answer) = await UploadAsync(http, file, inputs.Workstations[0].Name);
                var peak = AppProcess.PeakMemoryMiB(app.Id);
                Console.WriteLine($"Uploaded {answer.GetProperty("linesRead").GetInt32():N0} lines ({answer.GetProperty("stored").GetInt32():N0} stored, " +
                    $"{answer.GetProperty("duplicates").GetInt32():N0} duplicates, {answer.GetProperty("rejected").GetInt32():N0} rejected) in {seconds:0.0} s: " +
                    $"{lines / seconds:N0} lines/s (goal: under 15 s); app peak memory (VmHWM) {peak:0} MiB (goal: under 400 MiB)");
            }

            if (options.Flag("process"))
            {
                await using var worker = await AppProcess.StartServerAsync(options.WebDll, new Dictionary<string, string>(environment) { ["Jobs__Server"] = "true", ["Jobs__PollSeconds"] = "0.5" });
                using var http = await worker.SignInAsync(account);
                clock.Restart();
                (await http.PostAsync($"/api/sessions/{session}/process", null)).EnsureSuccessStatusCode();
                while (true)
                {
                    var detail = await http.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}");
                    if (detail.GetProperty("state").GetString() == "Processed")
                    {
                        break;
                    }
                    await Task.Delay(500);
                }
                var seconds = clock.Elapsed.TotalSeconds;
                Console.WriteLine($"Replayed {lines:N0} transactions in {seconds:0.0} s: {lines / seconds:N0} per second; app peak memory (VmHWM) {AppProcess.PeakMemoryMiB(worker.Id):0} MiB");
            }
            return 0;
        }
        finally
        {
            if (keepFile.Length == 0)
            {
                File.Delete(file);
            }
            File.Delete(warmUpFile);
        }
    }

    private static async Task WriteFileAsync(string path, GeneratorInputs inputs, int seed, int lines)
    {
        await using var writer = new StreamWriter(path);
        await new TransactionGenerator(inputs, seed).WriteAsync(writer, lines, new DateTimeOffset(2026, 3, 2, 14, 0, 0, TimeSpan.Zero));
    }

    /// <summary>Uploads a file to a new session through the real endpoint; the session, the seconds it took, and the answer.</summary>
    private static async Task<(long Session, double Seconds, JsonElement Answer)> UploadAsync(HttpClient http, string file, string workstation)
    {
        var created = await http.PostAsJsonAsync("/api/sessions", new { org = "CONS", description = "Upload benchmark" });
        created.EnsureSuccessStatusCode();
        var session = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var clock = Stopwatch.StartNew();
        await using var stream = File.OpenRead(file);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(workstation), "workstation" },
            { new StreamContent(stream, 1 << 16), "file", Path.GetFileName(file) },
        };
        var response = await http.PostAsync($"/api/sessions/{session}/files", form);
        var body = await response.Content.ReadAsStringAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Upload failed: {(int)response.StatusCode} {body[..Math.Min(2000, body.Length)]}");
        }
        return (session, seconds, JsonDocument.Parse(body).RootElement.Clone());
    }
}
