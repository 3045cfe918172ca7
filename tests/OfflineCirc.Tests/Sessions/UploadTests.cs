using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OfflineCirc.Web.Sessions;

namespace OfflineCirc.Tests.Sessions;

public class UploadTests(IntakeApp app) : IClassFixture<IntakeApp>
{
    private static string Native(string id, long ts, string type = "checkin", string barcode = "31234000000017") =>
        $$"""{"id":"{{id}}","timestamp":{{ts}},"type":"{{type}}","workstation":"BR1-CIRC-01","org":"BR1","barcode":"{{barcode}}"}""";

    private static string NewId() => Guid.NewGuid().ToString();

    [Fact]
    public async Task Native_file_is_stored_line_by_line_with_counts_that_add_up()
    {
        var session = await app.CreateSessionAsync();
        var lines = string.Join("\n",
            Native(NewId(), 1772701200),
            $$"""{"id":"{{NewId()}}","timestamp":1772701260,"type":"checkout","workstation":"BR1-CIRC-01","org":"BR1","patron_barcode":"21234000000019","barcode":"31234000000025","checkout_time":"2026-03-05T10:01:00-05:00"}""",
            """{"id":"not-a-uuid","timestamp":1772701300,"type":"checkin","barcode":"1"}""",
            """{"timestamp":1772701300,"type":"chekout","barcode":"1"}""",
            "this is not json");
        var response = await app.UploadAsync(session, lines);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (await response.Content.ReadFromJsonAsync<UploadAnswer>())!;
        Assert.Equal(5, answer.LinesRead);
        Assert.Equal(2, answer.Stored);
        Assert.Equal(0, answer.Duplicates);
        Assert.Equal(3, answer.Rejected);
        Assert.Equal(answer.LinesRead, answer.Stored + answer.Duplicates + answer.Rejected);
        Assert.Contains(answer.RejectedLines, r => r.Line == 4 && r.Reason.Contains("chekout"));
        Assert.Contains(answer.RejectedLines, r => r.Line == 5 && r.Reason.Contains("JSON"));

        await using var db = app.App.CreateContext();
        var stored = await db.Transactions.Where(t => t.SessionId == session).OrderBy(t => t.LineNumber).ToListAsync();
        Assert.Equal(["checkin", "checkout"], stored.Select(t => t.Type));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1772701200), stored[0].RecordedAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 5, 15, 1, 0, TimeSpan.Zero), stored[1].EffectiveAt);
        Assert.Equal(3, await db.RejectedLines.CountAsync(r => r.SessionId == session));
        var file = await db.UploadedFiles.SingleAsync(f => f.SessionId == session);
        Assert.Equal((5, 2, 0, 3), (file.LinesRead, file.Stored, file.Duplicates, file.Rejected));
    }

    [Fact]
    public async Task Duplicates_within_a_file_across_uploads_and_across_sessions_are_stored_once()
    {
        var first = await app.CreateSessionAsync();
        var second = await app.CreateSessionAsync();
        var a = NewId();
        var b = NewId();
        var within = await (await app.UploadAsync(first, Native(a, 1772701200) + "\n" + Native(b, 1772701201) + "\n" + Native(a, 1772701200)))
            .Content.ReadFromJsonAsync<UploadAnswer>();
        Assert.Equal((3, 2, 1), (within!.LinesRead, within.Stored, within.Duplicates));
        Assert.Equal(new DuplicateAnswer(3, a, first, within.FileId, 1), within.DuplicateLines.Single());

        var again = await (await app.UploadAsync(first, Native(a, 1772701200) + "\n" + Native(b, 1772701201)))
            .Content.ReadFromJsonAsync<UploadAnswer>();
        Assert.Equal((2, 0, 2), (again!.LinesRead, again.Stored, again.Duplicates));

        var c = NewId();
        var other = await (await app.UploadAsync(second, Native(b, 1772701201) + "\n" + Native(c, 1772701300)))
            .Content.ReadFromJsonAsync<UploadAnswer>();
        Assert.Equal((2, 1, 1), (other!.LinesRead, other.Stored, other.Duplicates));
        Assert.Equal(first, other.DuplicateLines.Single().OriginalSessionId);

        await using var db = app.App.CreateContext();
        Assert.Equal(1, await db.Transactions.CountAsync(t => t.Key == a));
        Assert.Equal(1, await db.Transactions.CountAsync(t => t.Key == b));
        Assert.Equal(2, await db.Transactions.CountAsync(t => t.SessionId == first));
    }

    [Fact]
    public async Task Evergreen_file_without_ids_uploaded_twice_is_stored_once()
    {
        var session = await app.CreateSessionAsync();
        var content = """
            {"timestamp":1772701200,"type":"checkout","patron_barcode":"21234000000027","barcode":"31234000000033","due_date":"2026-03-19","checkout_time":"2026-03-05T09:00:00.000Z"}
            {"timestamp":1772701260,"type":"checkin","barcode":"31234000000041","backdate":"2026-03-04T23:00:00.000Z"}
            """;
        var first = await (await app.UploadAsync(session, content, fileName: "pending.xacts")).Content.ReadFromJsonAsync<UploadAnswer>();
        var second = await (await app.UploadAsync(session, content, fileName: "pending-copy.xacts")).Content.ReadFromJsonAsync<UploadAnswer>();
        Assert.Equal((2, 0), (first!.Stored, first.Duplicates));
        Assert.Equal((0, 2), (second!.Stored, second.Duplicates));
        Assert.All(first.StoredKeys, k => Assert.Matches("^[0-9a-f]{64}$", k));
    }

    [Fact]
    public async Task Binary_file_is_refused_whole_and_nothing_is_stored()
    {
        var session = await app.CreateSessionAsync();
        var bytes = Encoding.UTF8.GetBytes(Native(NewId(), 1772701200) + "\n").Concat(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0x0D, 0xFF, 0xFE }).ToArray();
        var response = await app.UploadBytesAsync(session, bytes, fileName: "photo.png");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.Contains("Nothing from it was stored", problem);
        await using var db = app.App.CreateContext();
        Assert.False(await db.UploadedFiles.AnyAsync(f => f.SessionId == session));
        Assert.False(await db.Transactions.AnyAsync(t => t.SessionId == session));
    }

    [Fact]
    public async Task File_above_the_size_limit_gets_413_with_a_clear_message()
    {
        var session = await app.CreateSessionAsync();
        var line = Native(NewId(), 1772701200);
        var big = new StringBuilder();
        while (big.Length <= IntakeApp.MaxUploadBytes + 100_000)
        {
            big.AppendLine(Native(NewId(), 1772701200));
        }
        var response = await app.UploadAsync(session, big.ToString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than", await response.Content.ReadAsStringAsync());
        await using var db = app.App.CreateContext();
        Assert.False(await db.Transactions.AnyAsync(t => t.SessionId == session));
        _ = line;
    }

    [Fact]
    public async Task Workstation_must_be_registered_and_inside_the_sessions_library()
    {
        var session = await app.CreateSessionAsync();
        var unknown = await app.UploadAsync(session, Native(NewId(), 1772701200), workstation: "NOPE-01");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("not registered", await unknown.Content.ReadAsStringAsync());
        var outside = await app.UploadAsync(session, Native(NewId(), 1772701200), workstation: "BR3-CIRC-01", token: app.AdminToken);
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("outside this session", await outside.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Delta_corrects_the_recorded_time()
    {
        var session = await app.CreateSessionAsync();
        var id = NewId();
        var response = await app.UploadAsync(session, Native(id, 1772701200), delta: -120);
        response.EnsureSuccessStatusCode();
        await using var db = app.App.CreateContext();
        var tx = await db.Transactions.SingleAsync(t => t.Key == id);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1772701200 - 120), tx.RecordedAt);
    }

    [Fact]
    public async Task A_text_value_holding_a_NUL_escape_is_rejected_with_a_reason()
    {
        var session = await app.CreateSessionAsync();
        var content = Native(NewId(), 1772701200) + "\n" +
            $$"""{"id":"{{NewId()}}","timestamp":1772701201,"type":"checkin","workstation":"BR1-CIRC-01","barcode":"3123\u0000400"}""" + "\n" +
            $$"""{"id":"{{NewId()}}","timestamp":1772701202,"type":"checkin","workstation":"BR1-CIRC-01","barcode":"3123\\u0000400"}""";
        var answer = (await (await app.UploadAsync(session, content)).Content.ReadFromJsonAsync<UploadAnswer>())!;
        Assert.Equal((3, 2, 1), (answer.LinesRead, answer.Stored, answer.Rejected));
        Assert.Contains("NUL", answer.RejectedLines.Single(r => r.Line == 2).Reason);
    }

    [Fact]
    public async Task A_huge_number_is_kept_as_written_where_nothing_reads_it_and_refused_where_a_field_needs_it()
    {
        var session = await app.CreateSessionAsync();
        var kept = $$"""{"id":"{{NewId()}}","timestamp":1772701201,"type":"checkin","workstation":"BR1-CIRC-01","barcode":"31234000000017","extra":1e999999}""";
        var content = Native(NewId(), 1772701200) + "\n" + kept + "\n" +
            $$"""{"id":"{{NewId()}}","timestamp":1772701202,"type":"in_house_use","workstation":"BR1-CIRC-01","barcode":"31234000000017","count":1e999999}""";
        var response = await app.UploadAsync(session, content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var answer = (await response.Content.ReadFromJsonAsync<UploadAnswer>())!;
        Assert.Equal((3, 2, 1), (answer.LinesRead, answer.Stored, answer.Rejected));
        Assert.Equal("count must be 1-100", answer.RejectedLines.Single(r => r.Line == 3).Reason);
        await using var db = app.App.CreateContext();
        Assert.Equal(kept, (await db.Transactions.SingleAsync(t => t.SessionId == session && t.LineNumber == 2)).Payload);
    }

    [Fact]
    public async Task A_file_with_more_rejections_than_the_quick_path_keeps_is_still_stored_whole()
    {
        var session = await app.CreateSessionAsync();
        var good = new[] { NewId(), NewId() };
        var lines = new List<string> { Native(good[0], 1772701200) };
        lines.AddRange(Enumerable.Range(0, FileIntake.QuickPathRejectionLimit + 5).Select(i => $"garbage {i}"));
        lines.Add(Native(good[1], 1772701300));
        var answer = (await (await app.UploadAsync(session, string.Join("\n", lines))).Content.ReadFromJsonAsync<UploadAnswer>())!;
        Assert.Equal((lines.Count, 2, 0, lines.Count - 2), (answer.LinesRead, answer.Stored, answer.Duplicates, answer.Rejected));
        await using var db = app.App.CreateContext();
        Assert.Equal(lines.Count - 2, await db.RejectedLines.CountAsync(r => r.SessionId == session));
        Assert.Equal(good.Order(), (await db.Transactions.Where(t => t.SessionId == session).Select(t => t.Key).ToListAsync()).Order());
    }

    [Fact]
    public async Task A_repeat_late_in_a_file_sends_it_down_the_careful_path_with_nothing_lost()
    {
        var session = await app.CreateSessionAsync();
        var ids = Enumerable.Range(0, 1000).Select(_ => NewId()).ToList();
        var lines = ids.Select((id, i) => Native(id, 1772701200 + i)).ToList();
        lines.Insert(500, "not json");
        lines.Add(Native(ids[10], 1772701210));
        var response = await app.UploadAsync(session, string.Join("\n", lines));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var answer = (await response.Content.ReadFromJsonAsync<UploadAnswer>())!;
        Assert.Equal((1002, 1000, 1, 1), (answer.LinesRead, answer.Stored, answer.Duplicates, answer.Rejected));
        Assert.Equal(new DuplicateAnswer(1002, ids[10], session, answer.FileId, 11), answer.DuplicateLines.Single());
        await using var db = app.App.CreateContext();
        Assert.Equal(1000, await db.Transactions.CountAsync(t => t.FileId == answer.FileId));
        Assert.Equal(1, await db.RejectedLines.CountAsync(r => r.FileId == answer.FileId));
    }

    [Fact]
    public async Task The_database_keeps_each_stored_transaction_with_a_file_of_its_own_session()
    {
        var first = await app.CreateSessionAsync();
        var second = await app.CreateSessionAsync();
        var answer = (await (await app.UploadAsync(first, Native(NewId(), 1772701200))).Content.ReadFromJsonAsync<UploadAnswer>())!;
        await using var conn = new NpgsqlConnection(app.App.ConnectionString);
        await conn.OpenAsync();

        var wrongSession = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand(
            $"UPDATE offline_transactions SET session_id = {second} WHERE file_id = {answer.FileId}", conn).ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, wrongSession.SqlState);
        var noFile = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand($"""
            INSERT INTO offline_transactions (key, key_digest, session_id, file_id, line_number, type, workstation, recorded_at,
                effective_at, delta_seconds, payload, edited, forced)
            VALUES ('{NewId()}', gen_random_uuid(), {first}, -1, 1, 'checkin', 'BR1-CIRC-01', now(), now(), 0, '[]', false, false)
            """, conn).ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, noFile.SqlState);
        var moveFile = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand(
            $"UPDATE uploaded_files SET session_id = {second} WHERE id = {answer.FileId}", conn).ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, moveFile.SqlState);

        await new NpgsqlCommand($"DELETE FROM uploaded_files WHERE id = {answer.FileId}", conn).ExecuteNonQueryAsync();
        Assert.Equal(0L, await new NpgsqlCommand($"SELECT count(*) FROM offline_transactions WHERE session_id = {first}", conn).ExecuteScalarAsync());
    }
}
