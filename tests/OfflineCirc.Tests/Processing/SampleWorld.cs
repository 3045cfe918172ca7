using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Tests.Sessions;

namespace OfflineCirc.Tests.Processing;

/// <summary>
/// The real app (real PostgreSQL, real Hangfire server) over its own database, with the patrons, items, loans and types
/// the sample files name; files go in through POST /api/sessions/{id}/files and are replayed by the real job.
/// </summary>
public sealed class SampleWorld : IAsyncDisposable
{
    private readonly TestDatabase _database = new();

    public AppFactory App { get; private set; } = null!;
    public TestOrgs Orgs { get; private set; } = null!;
    public string Token { get; private set; } = "";
    public NpgsqlDataSource Data => _database.DataSource;

    public static async Task<SampleWorld> StartAsync()
    {
        var world = new SampleWorld();
        await world._database.InitializeAsync();
        world.App = new AppFactory(world._database);
        _ = world.App.Server;
        await using (var db = world.App.CreateContext())
        {
            world.Orgs = await TestOrgs.CreateAsync(db);
        }
        await world.SeedAsync();
        world.Token = await world.App.TokenAsync(AppFactory.AdminEmail, AppFactory.AdminPassword);
        return world;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await _database.DisposeAsync();
    }

    public HttpClient Client() => PortalClient.WithToken(App, Token);

    public async Task<long> CreateSessionAsync(string org = "BR1")
    {
        using var client = Client();
        var response = await client.PostAsJsonAsync("/api/sessions", new { org, description = "Samples" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IntakeApp.Created>())!.Id;
    }

    public Task<UploadAnswer> UploadSampleAsync(long session, string sample, string workstation = "BR1-CIRC-01") =>
        UploadAsync(session, File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", sample)), sample, workstation);

    public async Task<UploadAnswer> UploadAsync(long session, byte[] content, string fileName, string workstation = "BR1-CIRC-01")
    {
        using var client = Client();
        using var form = new MultipartFormDataContent { { new StringContent(workstation), "workstation" } };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        var response = await client.PostAsync($"/api/sessions/{session}/files", form);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<UploadAnswer>())!;
    }

    /// <summary>Starts a run through the API and waits until the job has processed the session.</summary>
    public Task ProcessAsync(long session) => RunAsync(session, "process");

    /// <summary>Starts a run through the API (<c>process</c> or <c>retry</c>) and waits until the job has finished it.</summary>
    public async Task RunAsync(long session, string verb)
    {
        using var client = Client();
        var start = await client.PostAsync($"/api/sessions/{session}/{verb}", null);
        Assert.True(start.IsSuccessStatusCode, await start.Content.ReadAsStringAsync());
        var until = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var detail = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{session}");
            if (detail.GetProperty("state").GetString() == "Processed")
            {
                return;
            }
            Assert.True(DateTime.UtcNow < until, $"session {session} is still {detail.GetProperty("state")}");
            await Task.Delay(200);
        }
    }

    /// <summary>Each transaction's current result by line: status, its codes in order, message.</summary>
    public async Task<Dictionary<int, (ResultStatus Status, string Codes, string Message)>> ResultsAsync(long session)
    {
        var results = new Dictionary<int, (ResultStatus, string, string)>();
        await using var db = App.CreateContext();
        var rows = db.Results.Where(r => r.SessionId == session && r.IsCurrent)
            .Join(db.Transactions, r => r.TransactionId, t => t.Id, (r, t) => new { t.LineNumber, r.Status, r.Codes, r.Message });
        foreach (var row in rows)
        {
            results[row.LineNumber] = (row.Status, string.Join(",", row.Codes.Order()), row.Message);
        }
        return results;
    }

    public async Task<T?> ScalarAsync<T>(string sql, params object[] args)
    {
        await using var cmd = Data.CreateCommand(sql);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }
        var value = await cmd.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public async Task ExecAsync(string sql)
    {
        await using var cmd = Data.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    // Everything the sample files name: the patrons' cards, the items, the loans renewed and returned, the
    // non-catalogued types by id (3, 5) and by name, and the profile a registration names by id (2).
    private Task SeedAsync() => ExecAsync("""
        INSERT INTO workstations (name, org_unit_id, registered_at, service_worker_installed)
        SELECT w, (SELECT id FROM org_units WHERE short_name = 'BR1'), now(), false FROM unnest(ARRAY['BR1-CIRC-01', 'BR1-CIRC-02', 'BR1-LAPTOP-7']) w;
        INSERT INTO patron_profiles (id, name, permission_interval_days, checkout_limit, fine_threshold)
        VALUES (1, 'Adult', 1095, 50, 10.00), (2, 'Juvenile', 730, 20, 5.00);
        INSERT INTO circulation_policies (org_unit_id, profile_id, circ_modifier, loan_duration, loan_duration_unit, max_renewals,
            fine_per_interval, fine_interval, fine_interval_unit, max_fine, grace_period, grace_period_unit)
        SELECT id, NULL, NULL, 14, 'days', 2, 0.25, 1, 'days', 5.00, 0, 'days' FROM org_units WHERE short_name = 'CONS';
        INSERT INTO noncat_types (id, name, owning_org_id, loan_duration, loan_duration_unit)
        SELECT v.id, v.name, o.id, 7, 'days' FROM org_units o, (VALUES (3, 'Magazine'), (5, 'Pamphlet'), (7, 'Paperback')) v(id, name)
        WHERE o.short_name = 'CONS';
        INSERT INTO patrons (family_name, first_given_name, home_org_id, profile_id, active, barred, expire_date, created_at)
        SELECT 'Family' || c, 'Given' || c, (SELECT id FROM org_units WHERE short_name = 'BR1'), 1, true, false, DATE '2030-01-01', now()
        FROM unnest(ARRAY['22000000123', '21234000001234', '21234000005678']) c;
        INSERT INTO cards (barcode, patron_id, active, "primary") SELECT substr(family_name, 7), id, true, true FROM patrons;
        INSERT INTO records (id, title, author) VALUES (1, 'A Book', 'An Author');
        INSERT INTO items (barcode, record_id, owning_org_id, location, circ_modifier, status, holdable, status_changed_at)
        SELECT b, 1, (SELECT id FROM org_units WHERE short_name = CASE WHEN b = '31234000067890' THEN 'BR2' ELSE 'BR1' END),
            'Stacks', 'book', 'available', true, NULL
        FROM unnest(ARRAY['33000000456', '33000000789', '33000000999', '31234000056789', '31234000067890', '31234000078901',
            '31234000089012', '31234000012345', '31234000023456', '31234000034567', '31234000045678', '31234000056780']) b;
        INSERT INTO circulations (patron_id, item_id, checkout_time, due_time, checkout_org_id, renewal_count)
        SELECT (SELECT patron_id FROM cards WHERE barcode = l.card), i.id, TIMESTAMPTZ '2026-02-20T15:00:00Z', l.due,
            (SELECT id FROM org_units WHERE short_name = 'BR1'), 0
        FROM (VALUES ('33000000789', '22000000123', TIMESTAMPTZ '2026-03-02T04:59:59Z'),
                     ('31234000089012', '21234000001234', TIMESTAMPTZ '2026-03-11T03:59:59Z'),
                     ('31234000023456', '21234000005678', TIMESTAMPTZ '2026-03-11T03:59:59Z'),
                     ('31234000034567', '21234000005678', TIMESTAMPTZ '2026-03-11T03:59:59Z')) l(item, card, due)
        JOIN items i ON i.barcode = l.item;
        UPDATE items SET status = 'checked_out' WHERE id IN (SELECT item_id FROM circulations);
        INSERT INTO billings (patron_id, amount, billing_type, billed_at, voided, amount_paid)
        SELECT patron_id, 2.50, 'overdue_fine', TIMESTAMPTZ '2026-02-01T12:00:00Z', false, 0 FROM cards WHERE barcode = '21234000001234';
        """);
}
