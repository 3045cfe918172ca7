using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OfflineCirc.Core.Replay;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.MultiNode;

/// <summary>App processes started as web or worker nodes over one database, and what the database says about their runs.</summary>
public static class Nodes
{
    /// <summary>Short timings, so a dead worker's run moves on in seconds rather than the production default.</summary>
    public static Dictionary<string, string> Settings(string role, string name, bool oneTransaction = true) => new()
    {
        ["Node:Role"] = role,
        ["Node:Name"] = name,
        ["Replay:OneTransaction"] = oneTransaction ? "true" : "false",
        ["Jobs:Workers"] = "1",
        ["Jobs:WatchdogSeconds"] = "2",
        ["Jobs:HeartbeatSeconds"] = "2",
        ["Jobs:ServerTimeoutSeconds"] = "20",
        ["Replay:BatchSize"] = "100",
    };

    public static Task<AppProcess> StartAsync(string connectionString, string role, string name, bool oneTransaction = true) =>
        AppProcess.StartAsync(connectionString, Settings(role, name, oneTransaction));

    /// <summary>The niceness of each thread of a running process (/proc), by thread id.</summary>
    public static Dictionary<int, int> Niceness(AppProcess node)
    {
        var niceness = new Dictionary<int, int>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{node.Id}/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                // After the command name in parentheses, the 17th field is the niceness (the 19th of the line).
                niceness[int.Parse(Path.GetFileName(task))] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16]);
            }
            catch (IOException)
            {
                // The thread ended while being read.
            }
        }
        return niceness;
    }

    /// <summary>One cookie jar for every node, as one browser would keep it (cookies do not depend on the port).</summary>
    public static (HttpClient Client, CookieContainer Cookies) Browser(string baseUrl, CookieContainer? cookies = null)
    {
        cookies ??= new CookieContainer();
        var handler = new HttpClientHandler { CookieContainer = cookies, UseCookies = true, AllowAutoRedirect = false };
        return (new HttpClient(handler) { BaseAddress = new Uri(baseUrl) }, cookies);
    }

    /// <summary>The Hangfire server (named after its node) that last took the run's current job.</summary>
    public static async Task<string?> ServerOfRunAsync(string connectionString, long sessionId, int run = 1)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT s.data::jsonb ->> 'ServerId' FROM session_runs r
            JOIN hangfire.state s ON s.jobid = r.job_id::bigint AND s.name = 'Processing'
            WHERE r.session_id = @session AND r.run = @run
            ORDER BY s.id DESC LIMIT 1
            """, conn);
        cmd.Parameters.AddWithValue("session", sessionId);
        cmd.Parameters.AddWithValue("run", run);
        return await cmd.ExecuteScalarAsync() as string;
    }

    /// <summary>
    /// The session's state and its current run's progress, as its status shows them: a run that is one transaction
    /// writes its progress beside the transaction, and a resumed one counts it afresh from the committed results.
    /// </summary>
    public static async Task<(string State, int Done, int Total)> ProgressAsync(string connectionString, long sessionId)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT s.state, coalesce(r.done, s.progress_done), s.progress_total FROM sessions s
            LEFT JOIN LATERAL (SELECT done FROM session_runs WHERE session_id = s.id ORDER BY run DESC LIMIT 1) r ON true
            WHERE s.id = @id
            """, conn);
        cmd.Parameters.AddWithValue("id", sessionId);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2));
    }

    /// <summary>How many results of the session are committed.</summary>
    public static async Task<long> ResultCountAsync(string connectionString, long sessionId)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM transaction_results WHERE session_id = @id", conn);
        cmd.Parameters.AddWithValue("id", sessionId);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting until {what}.");
    }

    public static async Task<HttpClient> AdminApiAsync(AppProcess node)
    {
        var client = new HttpClient { BaseAddress = new Uri(node.BaseUrl) };
        var token = await PortalClient.RequestTokenAsync(client, AppFactory.AdminEmail, AppFactory.AdminPassword);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// Copies the database (no app may be connected) before any run and replays the session there in one go, in this
    /// process: what an uninterrupted run ends with. Returns the copy's name and connection string.
    /// </summary>
    public static async Task<(string Name, string ConnectionString)> ReplayUninterruptedOnCopyAsync(TestDatabase database, long session)
    {
        NpgsqlConnection.ClearAllPools();
        var name = database.Name + "_calm";
        await AdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database.Name}' AND pid <> pg_backend_pid()");
        await AdminAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{database.Name}\"");
        var connection = TestDatabase.ForDatabase(name);
        await using var dataSource = OfflineCirc.Web.Infrastructure.Database.BuildDataSource(connection);
        var processor = new SessionProcessor(dataSource, NullLogger<SessionProcessor>.Instance) { BatchSize = 100 };
        var run = await processor.StartRunAsync(session, RunKind.Process, AppFactory.AdminEmail);
        await processor.RunAsync(session, run, AppFactory.AdminEmail, CancellationToken.None);
        return (name, connection);
    }

    public static async Task AdminAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestDatabase.AdminConnectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
