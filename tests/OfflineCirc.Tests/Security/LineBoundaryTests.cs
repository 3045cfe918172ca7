using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Tests.Sessions;
using OfflineCirc.Web.Offline;

namespace OfflineCirc.Tests.Security;

/// <summary>Staff of BR1 upload lines into a BR1 session; lines reaching SYS2 (BR3) or nowhere are rejected at intake.</summary>
public class LineBoundaryTests(IntakeApp app) : IClassFixture<IntakeApp>
{
    private const long Ts = 1772701200;

    private static string Line(string workstation = "BR1-CIRC-01", string org = "BR1", string? id = null) =>
        $$"""{"id":"{{id ?? Guid.NewGuid().ToString()}}","timestamp":{{Ts}},"type":"checkin","workstation":"{{workstation}}","org":"{{org}}","barcode":"31234000000017"}""";

    private static string Registration(string homeOu) =>
        $$$"""{"id":"{{{Guid.NewGuid()}}}","timestamp":{{{Ts}}},"type":"register","workstation":"BR1-CIRC-01","org":"BR1","user":{"card":"2123400{{{Random.Shared.Next(100000, 999999)}}}","family_name":"Roy","first_given_name":"Luc","profile":"Adult","home_ou":{{{homeOu}}}}}""";

    private sealed record Answer(int Stored, int Rejected, int Duplicates, List<RejectedAnswer> RejectedLines, List<Duplicate> DuplicateLines);

    private sealed record Duplicate(int Line, long? OriginalSessionId, long? OriginalFileId, int? OriginalLine, string Where);

    [Fact]
    public async Task Lines_naming_another_systems_workstation_org_or_home_library_or_unknown_ones_are_rejected()
    {
        var session = await app.CreateSessionAsync("BR1");
        var lines = new[]
        {
            Line(),
            Line(workstation: "BR3-CIRC-01"),
            Line(workstation: "NOPE-CIRC-09"),
            Line(org: "BR3"),
            Line(org: "NOPE"),
            Registration("\"BR3\""),
            Registration(app.Orgs.Br3.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            // An Evergreen line names no workstation: the upload's (BR1-CIRC-01) names it.
            $$"""{"timestamp":{{Ts + 60}},"type":"checkin","barcode":"31234000000099"}""",
            Registration("\"BR1\""),
        };

        var response = await app.UploadAsync(session, string.Join("\n", lines));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (await response.Content.ReadFromJsonAsync<Answer>())!;
        Assert.Equal((3, 6), (answer.Stored, answer.Rejected));
        Assert.Equal(
        [
            (2, "workstation 'BR3-CIRC-01' is not a registered workstation of BR1 or the libraries under it"),
            (3, "workstation 'NOPE-CIRC-09' is not a registered workstation of BR1 or the libraries under it"),
            (4, "org 'BR3' is not BR1 or a library under it"),
            (5, "org 'NOPE' is not BR1 or a library under it"),
            (6, "user.home_ou 'BR3' is not BR1 or a library under it"),
            (7, $"user.home_ou '{app.Orgs.Br3.Id}' is not BR1 or a library under it"),
        ], answer.RejectedLines.Select(r => (r.Line, r.Reason)));
        await using var db = app.App.CreateContext();
        var stored = await db.Transactions.Where(t => t.SessionId == session).OrderBy(t => t.LineNumber).ToListAsync();
        Assert.Equal([1, 8, 9], stored.Select(t => t.LineNumber));
        Assert.All(stored, t => Assert.Equal("BR1-CIRC-01", t.Workstation));
        Assert.Equal(6, await db.RejectedLines.CountAsync(r => r.SessionId == session));
    }

    [Fact]
    public async Task Capture_page_uploads_are_screened_the_same_way()
    {
        using var staff = app.Client(app.StaffToken);
        var captures = new[] { Line(), Line(workstation: "BR3-CIRC-01", org: "BR3"), Line(org: "SYS2") }
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();

        var response = await staff.PostAsJsonAsync("/api/offline/transactions", new { workstation = "BR1-CIRC-01", transactions = captures });
        var foreignDesk = await staff.PostAsJsonAsync("/api/offline/transactions", new { workstation = "BR3-CIRC-01", transactions = captures });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var acks = (await response.Content.ReadFromJsonAsync<CaptureAnswer>())!.Results;
        Assert.Equal(["accepted", "rejected", "rejected"], acks.Select(a => a.Status));
        Assert.Equal("workstation 'BR3-CIRC-01' is not a registered workstation of BR1 or the libraries under it", acks[1].Reason);
        Assert.Equal("org 'SYS2' is not BR1 or a library under it", acks[2].Reason);
        var unknownDesk = await staff.PostAsJsonAsync("/api/offline/transactions", new { workstation = "NOPE-CIRC-09", transactions = captures });
        Assert.Equal(HttpStatusCode.BadRequest, foreignDesk.StatusCode);
        static async Task<string> TitleAsync(HttpResponseMessage r) =>
            System.Text.Json.JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString()!;
        Assert.Equal((await TitleAsync(unknownDesk)).Replace("NOPE-CIRC-09", "X"), (await TitleAsync(foreignDesk)).Replace("BR3-CIRC-01", "X"));
        Assert.Equal(HttpStatusCode.BadRequest, unknownDesk.StatusCode);
    }

    [Fact]
    public async Task A_duplicate_of_another_librarys_line_does_not_say_which_session_file_or_line_holds_it()
    {
        var br1 = await app.CreateSessionAsync("BR1");
        var br3 = await app.CreateSessionAsync("BR3", app.OtherAdminToken);
        var id = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.OK, (await app.UploadAsync(br1, Line(id: id))).StatusCode);

        var response = await app.UploadAsync(br3, Line(workstation: "BR3-CIRC-01", org: "BR3", id: id), workstation: "BR3-CIRC-01", token: app.OtherAdminToken);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = System.Text.Json.JsonSerializer.Deserialize<Answer>(body, System.Text.Json.JsonSerializerOptions.Web)!;
        Assert.Equal(new Duplicate(1, null, null, null, "already uploaded in another library's session"), answer.DuplicateLines.Single());
        Assert.DoesNotContain($"\"originalSessionId\":{br1}", body);

        // Within one's own libraries the original is still named.
        var again = await (await app.UploadAsync(await app.CreateSessionAsync("BR1"), Line(id: id))).Content.ReadFromJsonAsync<Answer>();
        Assert.Equal(br1, again!.DuplicateLines.Single().OriginalSessionId);
    }
}
