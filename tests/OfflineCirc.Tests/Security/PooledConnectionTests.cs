using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OfflineCirc.Tests.Sessions;

namespace OfflineCirc.Tests.Security;

/// <summary>A refused or failed request leaves every pooled connection in step with its server.</summary>
public class PooledConnectionTests(IntakeApp app) : IClassFixture<IntakeApp>
{
    [Fact]
    public async Task Pooled_connections_answer_normally_after_refused_and_failed_requests()
    {
        var id = await app.CreateSessionAsync();
        using var api = app.Client(app.AdminToken);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/sessions/{id}/exceptions.csv?code=A%00")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/sessions?org=NOPE")).StatusCode);
            // A body cut short while intake copies it: the COPY is cancelled and rolled back mid-stream.
            var cut = new ByteArrayContent("--b\r\nContent-Disposition: form-data; name=\"workstation\"\r\n\r\nBR1-CIRC-01\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n{\"id\":\"1\""u8.ToArray());
            cut.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
            Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync($"/api/sessions/{id}/files", cut)).StatusCode);
        }

        // PostgreSQL itself refusing a value (a NUL in text) on the app's own pool, with statements prepared automatically.
        var dataSource = app.App.Services.GetRequiredService<NpgsqlDataSource>();
        for (var i = 0; i < 3; i++)
        {
            await using var command = dataSource.CreateCommand("SELECT count(*) FROM sessions WHERE description = @d");
            command.Parameters.AddWithValue("d", "a\0b");
            await Assert.ThrowsAnyAsync<Exception>(() => command.ExecuteScalarAsync());
        }

        // Every connection the pool holds now answers a streamed query whole, then the app answers as before.
        var open = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                open.Add(await dataSource.OpenConnectionAsync());
            }
            foreach (var conn in open)
            {
                await using var cmd = new NpgsqlCommand("SELECT g, repeat('x', 100) FROM generate_series(1, 2000) g", conn);
                await using var reader = await cmd.ExecuteReaderAsync();
                var rows = 0;
                while (await reader.ReadAsync())
                {
                    rows++;
                }
                Assert.Equal(2000, rows);
            }
        }
        finally
        {
            foreach (var conn in open)
            {
                await conn.DisposeAsync();
            }
        }
        for (var i = 0; i < 20; i++)
        {
            var list = await api.GetAsync("/api/sessions?org=BR1");
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            Assert.Contains(id.ToString(), await list.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/sessions/{id}/results.csv")).StatusCode);
        }
        var created = await api.PostAsJsonAsync("/api/sessions", new { org = "BR1", description = "After the refusals" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }
}
