using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Tests.Sessions;

namespace OfflineCirc.Tests.Security;

/// <summary>A change and its audit entry are written by one database transaction (the rows share their xmin).</summary>
public class OneCommitTests(IntakeApp app) : IClassFixture<IntakeApp>
{
    private async Task<(string Change, string Audit)> XminAsync(string changeSql, string auditTarget)
    {
        await using var db = app.App.CreateContext();
        var change = await db.Database.SqlQueryRaw<string>(changeSql).SingleAsync();
        var audit = await db.Database.SqlQueryRaw<string>("SELECT xmin::text AS \"Value\" FROM audit_log WHERE target LIKE {0}", auditTarget + "%").SingleAsync();
        return (change, audit);
    }

    [Fact]
    public async Task A_session_and_its_audit_entry_commit_together()
    {
        var id = await app.CreateSessionAsync();
        var (change, audit) = await XminAsync($"SELECT xmin::text AS \"Value\" FROM sessions WHERE id = {id}", $"session {id}");
        Assert.Equal(change, audit);
    }

    [Fact]
    public async Task An_upload_and_its_audit_entry_commit_together()
    {
        var id = await app.CreateSessionAsync();
        var line = $$"""{"id":"{{Guid.NewGuid()}}","timestamp":1772701200,"type":"in_house_use","workstation":"BR1-CIRC-01","org":"BR1","barcode":"31234000000017","count":2}""";
        var answer = await app.UploadAsync(id, line);
        answer.EnsureSuccessStatusCode();
        var file = (await answer.Content.ReadFromJsonAsync<UploadAnswer>())!.FileId;
        var (change, audit) = await XminAsync($"SELECT xmin::text AS \"Value\" FROM uploaded_files WHERE id = {file}", $"file {file} ");
        Assert.Equal(change, audit);
        // The session's running counts of files and transactions too (docs/adr-016).
        await using var db = app.App.CreateContext();
        var counts = await db.Database.SqlQuery<string>($"SELECT DISTINCT xmin::text AS \"Value\" FROM session_counts WHERE session_id = {id}").ToListAsync();
        Assert.Equal([change], counts);
    }
}
