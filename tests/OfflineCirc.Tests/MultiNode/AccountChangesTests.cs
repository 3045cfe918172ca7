using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Web.Infrastructure;
using OfflineCirc.Web.People;

namespace OfflineCirc.Tests.MultiNode;

/// <summary>
/// Sign-in checks kept in memory (docs/adr-019) never outlive a change: made on this node, on another node, at psql, or
/// while a node's listening connection was cut. Each wait is far shorter than a kept reading's 30 s, so only the
/// database's notice, or the cut connection, can end it.
/// </summary>
public class AccountChangesTests : IAsyncLifetime
{
    private static readonly TimeSpan Notice = TimeSpan.FromSeconds(5);
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task A_revoked_token_or_a_locked_account_is_refused_by_every_node_however_the_change_was_made()
    {
        await using var a = await Nodes.StartAsync(_database.ConnectionString, "web", "web-a");
        await using var b = await Nodes.StartAsync(_database.ConnectionString, "web", "web-b");
        using var anonymous = new HttpClient { BaseAddress = new Uri(a.BaseUrl) };
        var first = await PortalClient.RequestTokenAsync(anonymous, AppFactory.AdminEmail, AppFactory.AdminPassword);
        var second = await PortalClient.RequestTokenAsync(anonymous, AppFactory.AdminEmail, AppFactory.AdminPassword);
        using var firstOnA = Client(a, first);
        using var firstOnB = Client(b, first);
        using var secondOnA = Client(a, second);
        using var secondOnB = Client(b, second);

        // Both nodes have read the first token, twice: from here on they answer from memory.
        foreach (var client in new[] { firstOnA, firstOnB, firstOnA, firstOnB })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/tokens")).StatusCode);
        }

        // Revoked on node A with the second token: node A refuses the first on the very next request, node B on its notice.
        var tokens = await secondOnA.GetFromJsonAsync<JsonElement>("/api/auth/tokens");
        var firstId = tokens.EnumerateArray().Where(t => first.StartsWith(t.GetProperty("prefix").GetString()!, StringComparison.Ordinal))
            .Select(t => t.GetProperty("id").GetInt64()).Single();
        Assert.True((await secondOnA.DeleteAsync($"/api/auth/tokens/{firstId}")).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await firstOnA.GetAsync("/api/auth/tokens")).StatusCode);
        await RefusedWithinAsync(firstOnB, "node B refused the token revoked on node A");

        // Locked and unlocked at psql, as an operator might: both nodes follow, with nothing of the app involved.
        Assert.Equal(HttpStatusCode.OK, (await secondOnB.GetAsync("/api/auth/tokens")).StatusCode);
        await LockAsync(true);
        await RefusedWithinAsync(secondOnA, "node A refused the account locked at psql");
        await RefusedWithinAsync(secondOnB, "node B refused the account locked at psql");
        await LockAsync(false);
        await AcceptedWithinAsync(secondOnB, "node B accepted the account unlocked at psql");

        // The listening connections are cut, and the account locked at once: no notice can come, yet neither node
        // answers from what it kept, and once they listen again they follow changes as before.
        await Nodes.AdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_database.Name}' " +
            $"AND application_name = '{ChangeListener.ApplicationName}'");
        await LockAsync(true);
        await RefusedWithinAsync(secondOnA, "node A refused the account locked while its connection was cut");
        await RefusedWithinAsync(secondOnB, "node B refused the account locked while its connection was cut");
        await Nodes.WaitUntilAsync(async () => await ListenersAsync() == 2, TimeSpan.FromSeconds(30), "both nodes listened again");
        await LockAsync(false);
        await AcceptedWithinAsync(secondOnA, "node A accepted the account unlocked after it listened again");
        await AcceptedWithinAsync(secondOnB, "node B accepted the account unlocked after it listened again");
        await LockAsync(true);
        await RefusedWithinAsync(secondOnB, "node B refused the account locked after it listened again");
    }

    private static HttpClient Client(AppProcess node, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(node.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static Task RefusedWithinAsync(HttpClient client, string what) => Nodes.WaitUntilAsync(
        async () => (await client.GetAsync("/api/auth/tokens")).StatusCode == HttpStatusCode.Unauthorized, Notice, what);

    private static Task AcceptedWithinAsync(HttpClient client, string what) => Nodes.WaitUntilAsync(
        async () => (await client.GetAsync("/api/auth/tokens")).StatusCode == HttpStatusCode.OK, Notice, what);

    private async Task LockAsync(bool locked)
    {
        var end = locked ? "now() + interval '1 hour'" : "NULL";
        Assert.Equal(1L, await ScalarAsync($"""
            WITH u AS (UPDATE "AspNetUsers" SET lockout_enabled = true, lockout_end = {end} WHERE normalized_email = @email RETURNING 1)
            SELECT count(*) FROM u
            """));
    }

    private Task<long> ListenersAsync() => ScalarAsync(
        $"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = '{ChangeListener.ApplicationName}'");

    private async Task<long> ScalarAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(_database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("email", AppFactory.AdminEmail.ToUpperInvariant());
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
