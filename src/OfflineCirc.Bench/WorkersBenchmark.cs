using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using OfflineCirc.Core.Demo;

namespace OfflineCirc.Bench;

/// <summary>
/// `workers`: two sessions of generated desk activity over the demo consortium, replayed at once by one worker node
/// and then, from the same starting copy of the database, by two worker nodes; prints both times. Each node runs one
/// Hangfire worker, so one node takes the sessions one after the other and two nodes take one each. On a 2-core
/// machine the nodes and PostgreSQL share the same cores, so this shows the cost of a second node, not a speed-up.
/// </summary>
public static class WorkersBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var transactions = options.Int("transactions", 200_000);
        var seed = options.Int("seed", 20261201);
        await using var database = await BenchDatabase.CreateAsync(options.AdminConnectionString, "oc_bench_workers");
        database.Keep = options.Flag("keep");
        var account = BenchAccount.New();
        var environment = AppProcess.Environment(database, account);

        var clock = Stopwatch.StartNew();
        long[] sessions;
        await using (var web = await AppProcess.StartServerAsync(options.WebDll, new Dictionary<string, string>(environment) { ["Demo__Seed"] = "true" }))
        {
            using var http = await web.SignInAsync(account);
            await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
            var inputs = await GeneratorInputs.LoadAsync(dataSource, 100_000, 1_000_000);
            sessions = [await UploadAsync(http, inputs, seed, transactions), await UploadAsync(http, inputs, seed + 1, transactions)];
        }
        Console.WriteLine($"Seeded the demo consortium and uploaded two sessions of {transactions:N0} transactions in {clock.Elapsed.TotalSeconds:0.0} s");

        // Both measurements start from the same database: a copy made before any replay.
        NpgsqlConnection.ClearAllPools();
        await using var copy = await CopyAsync(options.AdminConnectionString, database);
        var one = await ReplayAsync(options, new Dictionary<string, string>(environment) { ["ConnectionStrings__Default"] = copy.ConnectionString }, sessions, nodes: 1);
        var two = await ReplayAsync(options, environment, sessions, nodes: 2);
        var total = 2 * transactions;
        Console.WriteLine($"1 worker node:  both sessions replayed in {one:0.0} s ({total / one:N0} transactions per second)");
        Console.WriteLine($"2 worker nodes: both sessions replayed in {two:0.0} s ({total / two:N0} transactions per second)");
        Console.WriteLine($"Cores on this machine: {Environment.ProcessorCount}. With the nodes and PostgreSQL on the same few cores, " +
            "the second node adds contention, not capacity: the figures show its overhead. A speed-up needs nodes on their own machines.");
        return 0;
    }

    /// <summary>Starts the worker nodes, asks for both runs at once and returns the seconds until both are processed.</summary>
    private static async Task<double> ReplayAsync(BenchOptions options, Dictionary<string, string> environment, long[] sessions, int nodes)
    {
        var workers = new List<AppProcess>();
        try
        {
            for (var i = 1; i <= nodes; i++)
            {
                workers.Add(await AppProcess.StartServerAsync(options.WebDll, new Dictionary<string, string>(environment)
                {
                    ["Jobs__Server"] = "true",
                    ["Node__Role"] = "worker",
                    ["Node__Name"] = $"bench-worker-{i}",
                    ["Jobs__Workers"] = "1",
                    ["Jobs__PollSeconds"] = "0.5",
                }));
            }
            using var http = new HttpClient { BaseAddress = workers[0].Address };
            var account = await TokenAsync(http, environment);
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", account);
            var clock = Stopwatch.StartNew();
            foreach (var session in sessions)
            {
                (await http.PostAsync($"/api/sessions/{session}/process", null)).EnsureSuccessStatusCode();
            }
            foreach (var session in sessions)
            {
                while ((await http.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}")).GetProperty("state").GetString() != "Processed")
                {
                    await Task.Delay(250);
                }
            }
            return clock.Elapsed.TotalSeconds;
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    private static async Task<string> TokenAsync(HttpClient http, Dictionary<string, string> environment)
    {
        var answer = await http.PostAsJsonAsync("/api/auth/token", new
        {
            email = environment["Bootstrap__AdminEmail"],
            password = environment["Bootstrap__AdminPassword"],
            name = "bench",
        });
        answer.EnsureSuccessStatusCode();
        return (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private static async Task<long> UploadAsync(HttpClient http, GeneratorInputs inputs, int seed, int transactions)
    {
        var created = await http.PostAsJsonAsync("/api/sessions", new { org = "CONS", description = $"Workers benchmark {seed}" });
        created.EnsureSuccessStatusCode();
        var session = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var file = Path.Combine(Path.GetTempPath(), $"oc-bench-workers-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using (var writer = new StreamWriter(file))
            {
                await new TransactionGenerator(inputs, seed).WriteAsync(writer, transactions, new DateTimeOffset(2026, 3, 2, 14, 0, 0, TimeSpan.Zero));
            }
            await using var stream = File.OpenRead(file);
            using var form = new MultipartFormDataContent
            {
                { new StringContent(inputs.Workstations[0].Name), "workstation" },
                { new StreamContent(stream, 1 << 16), "file", Path.GetFileName(file) },
            };
            (await http.PostAsync($"/api/sessions/{session}/files", form)).EnsureSuccessStatusCode();
            return session;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<BenchDatabase> CopyAsync(string adminConnectionString, BenchDatabase source)
    {
        var copy = new BenchDatabase(adminConnectionString, source.Name + "_one") { Keep = source.Keep };
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{copy.Name}\" TEMPLATE \"{source.Name}\"", conn);
        await cmd.ExecuteNonQueryAsync();
        return copy;
    }
}
