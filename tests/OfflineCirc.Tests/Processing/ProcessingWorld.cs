using System.Net.Http.Json;
using System.Text;
using Npgsql;
using OfflineCirc.Core.Demo;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Processing;

/// <summary>A consortium with patrons, items, policies, holds and desks, plus a session of generated desk activity.</summary>
public static class ProcessingWorld
{
    public static async Task SeedAsync(TestDatabase database, int patrons, int items)
    {
        await using (var db = database.CreateContext())
        {
            await TestOrgs.CreateAsync(db);
        }
        await using var conn = await database.DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand($"""
            INSERT INTO patron_profiles (name, permission_interval_days, checkout_limit, fine_threshold) VALUES ('Adult', 1095, 50, 10.00);
            INSERT INTO circulation_policies (org_unit_id, profile_id, circ_modifier, loan_duration, loan_duration_unit, max_renewals,
                fine_per_interval, fine_interval, fine_interval_unit, max_fine, grace_period, grace_period_unit)
            SELECT id, NULL, NULL, 14, 'days', 2, 0.25, 1, 'days', 5.00, 1, 'days' FROM org_units WHERE short_name = 'CONS';
            INSERT INTO circulation_policies (org_unit_id, profile_id, circ_modifier, loan_duration, loan_duration_unit, max_renewals,
                fine_per_interval, fine_interval, fine_interval_unit, max_fine, grace_period, grace_period_unit)
            SELECT id, NULL, 'dvd', 7, 'days', 1, 1.00, 1, 'days', 10.00, 0, 'days' FROM org_units WHERE short_name = 'CONS';
            INSERT INTO workstations (name, org_unit_id, registered_at, service_worker_installed)
            SELECT short_name || '-CIRC-01', id, now(), false FROM org_units WHERE short_name LIKE 'BR%';
            INSERT INTO noncat_types (name, owning_org_id, loan_duration, loan_duration_unit)
            SELECT 'Paperback', id, 14, 'days' FROM org_units WHERE short_name = 'CONS';
            INSERT INTO org_closings (org_unit_id, start_date, end_date, reason)
            SELECT id, DATE '2026-03-16', DATE '2026-03-16', 'Holiday' FROM org_units WHERE short_name = 'BR1';
            INSERT INTO patrons (family_name, first_given_name, home_org_id, profile_id, active, barred, expire_date, created_at)
            SELECT 'Family' || g, 'Given' || g, (SELECT id FROM org_units WHERE short_name = CASE g % 3 WHEN 0 THEN 'BR1' WHEN 1 THEN 'BR2' ELSE 'BR3' END),
                (SELECT id FROM patron_profiles LIMIT 1), g % 50 <> 0, g % 70 = 0, DATE '2029-12-31', now()
            FROM generate_series(1, {patrons}) g;
            INSERT INTO cards (barcode, patron_id, active, "primary")
            SELECT '2' || lpad(id::text, 13, '0'), id, true, true FROM patrons;
            INSERT INTO records (id, title, author) SELECT g, 'Title ' || g, 'Author ' || g FROM generate_series(1, {items}) g;
            INSERT INTO items (barcode, record_id, owning_org_id, location, circ_modifier, status, holdable, status_changed_at)
            SELECT '3' || lpad(g::text, 13, '0'), g,
                (SELECT id FROM org_units WHERE short_name = CASE g % 3 WHEN 0 THEN 'BR1' WHEN 1 THEN 'BR2' ELSE 'BR3' END),
                'Stacks', CASE WHEN g % 5 = 0 THEN 'dvd' ELSE 'book' END, 'available', true, TIMESTAMPTZ '2026-01-01T00:00:00Z'
            FROM generate_series(1, {items}) g;
            INSERT INTO holds (patron_id, target_record_id, pickup_org_id, request_time, status, frozen)
            SELECT p.id, r, (SELECT id FROM org_units WHERE short_name = CASE r % 2 WHEN 0 THEN 'BR1' ELSE 'BR3' END),
                TIMESTAMPTZ '2026-02-01T00:00:00Z' + r * interval '1 minute', 'pending', false
            FROM generate_series(1, {items}, 7) r JOIN patrons p ON p.id = 1 + (r % {patrons});
            """, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Generates desk activity over the seeded data and uploads it, one file per workstation's share.</summary>
    public static async Task<long> UploadSessionAsync(TestDatabase database, HttpClient admin, int transactions, int seed)
    {
        var create = await admin.PostAsJsonAsync("/api/sessions", new { org = "CONS", description = "Crash-safe replay" });
        create.EnsureSuccessStatusCode();
        var session = (await create.Content.ReadFromJsonAsync<IdAnswer>())!.Id;
        await UploadGeneratedAsync(database, admin, session, transactions, seed);
        return session;
    }

    /// <summary>Uploads one file of generated transactions through the API, from workstation BR1-CIRC-01.</summary>
    public static async Task UploadGeneratedAsync(TestDatabase database, HttpClient admin, long session, int transactions, int seed)
    {
        var inputs = await GeneratorInputs.LoadAsync(database.DataSource, 100_000, 100_000);
        var writer = new StringWriter();
        await new TransactionGenerator(inputs, seed).WriteAsync(writer, transactions, new DateTimeOffset(2026, 3, 2, 14, 0, 0, TimeSpan.Zero));
        using var form = new MultipartFormDataContent
        {
            { new StringContent("BR1-CIRC-01"), "workstation" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(writer.ToString())), "file", "generated.jsonl" },
        };
        var upload = await admin.PostAsync($"/api/sessions/{session}/files", form);
        upload.EnsureSuccessStatusCode();
    }

    /// <summary>The circulation model and the results as text, without ids or clock readings that differ between runs.</summary>
    public static async Task<Dictionary<string, string>> SnapshotAsync(string connectionString)
    {
        var queries = new Dictionary<string, string>
        {
            ["circulations"] = """
                SELECT i.barcode, (SELECT min(barcode) FROM cards WHERE patron_id = c.patron_id), c.checkout_time, c.due_time, c.checkin_time,
                    c.checkout_org_id, c.checkout_workstation_id, c.checkin_org_id, c.checkin_workstation_id, c.renewal_count, c.stop_fines,
                    (SELECT key FROM offline_transactions WHERE id = c.origin_transaction_id), (SELECT key FROM offline_transactions WHERE id = c.close_transaction_id)
                FROM circulations c JOIN items i ON i.id = c.item_id
                """,
            ["items"] = "SELECT barcode, status, status_change_session_id FROM items",
            ["billings"] = """
                SELECT (SELECT min(barcode) FROM cards WHERE patron_id = b.patron_id), b.amount, b.billing_type, b.billed_at, b.voided, b.amount_paid,
                    (SELECT key FROM offline_transactions WHERE id = b.origin_transaction_id)
                FROM billings b
                """,
            ["holds"] = "SELECT id, status, capture_time, shelf_expiry_time, captured_item_id, fulfilled_time FROM holds",
            ["transits"] = """
                SELECT i.barcode, t.from_org_id, t.to_org_id, t.sent_time, t.received_time, t.hold_id, (SELECT key FROM offline_transactions WHERE id = t.origin_transaction_id)
                FROM transits t JOIN items i ON i.id = t.item_id
                """,
            ["patrons"] = """
                SELECT (SELECT min(barcode) FROM cards WHERE patron_id = p.id), p.family_name, p.expire_date, p.active,
                    (SELECT string_agg(name, ',' ORDER BY name) FROM patron_blocks WHERE patron_id = p.id)
                FROM patrons p
                """,
            ["noncat"] = "SELECT (SELECT key FROM offline_transactions WHERE id = n.origin_transaction_id), n.count, n.due_time, n.org_id FROM noncat_circulations n",
            ["in_house"] = "SELECT (SELECT key FROM offline_transactions WHERE id = u.origin_transaction_id), u.count, u.use_time, u.org_id FROM in_house_uses u",
            ["results"] = """
                SELECT t.key, r.status, r.codes, r.message, r.billed_amount, r.due_time, r.checkin_time, r.follow_ups, r.run,
                    (SELECT barcode FROM items WHERE id = r.item_id)
                FROM transaction_results r JOIN offline_transactions t ON t.id = r.transaction_id WHERE r.is_current
                """,
        };
        var snapshot = new Dictionary<string, string>();
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        foreach (var (name, sql) in queries)
        {
            await using var cmd = new NpgsqlCommand($"SELECT count(*) || ' rows ' || coalesce(md5(string_agg(x::text, E'\\n' ORDER BY x::text)), '') FROM ({sql}) x", conn);
            snapshot[name] = (string)(await cmd.ExecuteScalarAsync())!;
        }
        return snapshot;
    }

    public sealed record IdAnswer(long Id);
}
