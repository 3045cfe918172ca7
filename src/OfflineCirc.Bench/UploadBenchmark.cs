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

        var keepFile = options.Text("out", "");
        var file = keepFile.Length > 0 ? keepFile : Path.Combine(Path.GetTempPath(), $"oc-bench-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
            var inputs = await GeneratorInputs.LoadAsync(dataSource, 100_000, 1_000_000);
            clock.Restart();
            await using (var writer = new StreamWriter(file))
            {
                await new TransactionGenerator(inputs, seed).WriteAsync(writer, lines, new DateTimeOffset(2026, 3, 2, 14, 0, 0, TimeSpan.Zero));
            }
            Console.WriteLine($"Wrote {lines:N0} lines, {new FileInfo(file).Length / 1048576.0:0.0} MiB, in {clock.Elapsed.TotalSeconds:0.0} s");

            long session;
            await using (var app = await AppProcess.StartServerAsync(options.WebDll, new Dictionary<string, string>(environment)))
            {
                using var http = await app.SignInAsync(account);
                var created = await http.PostAsJsonAsync("/api/sessions", new { org = "CONS", description = "Upload benchmark" });
                created.EnsureSuccessStatusCode();
                session = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
                clock.Restart();
                await using var stream = File.OpenRead(file);
                using var form = new MultipartFormDataContent
                {
                    { new StringContent(inputs.Workstations[0].Name), "workstation" },
                    { new StreamContent(stream, 1 << 16), "file", "bench.jsonl" },
                };
                var response = await http.PostAsync($"/api/sessions/{session}/files", form);
                var body = await response.Content.ReadAsStringAsync();
                var seconds = clock.Elapsed.TotalSeconds;
                if (!response.IsSuccessStatusCode)
                {
                    Console.Error.WriteLine($"Upload failed: {(int)response.StatusCode} {body[..Math.Min(2000, body.Length)]}");
                    return 1;
                }
                var answer = JsonDocument.Parse(body).RootElement;
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
        }
    }

}
