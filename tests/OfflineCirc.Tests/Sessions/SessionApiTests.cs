using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Sessions;

public class SessionApiTests(IntakeApp app) : IClassFixture<IntakeApp>
{
    private static string Line() =>
        $$"""{"id":"{{Guid.NewGuid()}}","timestamp":1772701200,"type":"in_house_use","workstation":"BR1-CIRC-01","org":"BR1","barcode":"31234000000017","count":2}""";

    [Fact]
    public async Task Sessions_are_created_listed_and_shown_with_their_files()
    {
        var id = await app.CreateSessionAsync("BR1");
        (await app.UploadAsync(id, Line() + "\n" + Line())).EnsureSuccessStatusCode();
        using var client = app.Client(app.AdminToken);
        var list = await client.GetFromJsonAsync<JsonElement>("/api/sessions?org=BR1");
        Assert.Contains(list.EnumerateArray(), s => s.GetProperty("id").GetInt64() == id && s.GetProperty("files").GetInt32() == 1 && s.GetProperty("transactions").GetInt64() == 2);
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}");
        Assert.Equal("Open", detail.GetProperty("state").GetString());
        Assert.Equal(2, detail.GetProperty("transactions").GetInt64());
        var file = detail.GetProperty("files").EnumerateArray().Single();
        Assert.Equal("BR1-CIRC-01", file.GetProperty("workstation").GetString());
        Assert.Equal("staff.br1@test.example", file.GetProperty("uploadedBy").GetString());
        Assert.Equal("Native", file.GetProperty("format").GetString());
    }

    [Fact]
    public async Task A_poller_sending_the_entity_tag_back_gets_304_until_the_session_changes()
    {
        var id = await app.CreateSessionAsync("BR1");
        var lines = Line() + "\n" + Line();
        (await app.UploadAsync(id, lines)).EnsureSuccessStatusCode();
        using var client = app.Client(app.AuditorToken);
        async Task<HttpResponseMessage> Poll(string? tag)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sessions/{id}");
            if (tag is not null)
            {
                // As a browser's fetch sends it: the header as text, not parsed by the client.
                request.Headers.TryAddWithoutValidation("If-None-Match", tag);
            }
            return await client.SendAsync(request);
        }

        var first = await Poll(null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var tag = first.Headers.ETag!.ToString();
        Assert.StartsWith("\"", tag);
        Assert.True(first.Headers.CacheControl is { Private: true, NoCache: true }, $"Cache-Control: {first.Headers.CacheControl}");

        var unchanged = await Poll(tag);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());
        Assert.Equal(tag, unchanged.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.NotModified, (await Poll("\"something-else\", " + tag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, (await Poll("W/" + tag)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Poll("\"something-else\"")).StatusCode);

        // The same file again stores nothing more but is a file more: the answer changes, and so does its tag.
        (await app.UploadAsync(id, lines)).EnsureSuccessStatusCode();
        var changed = await Poll(tag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var detail = await changed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((2, 2), (detail.GetProperty("transactions").GetInt64(), detail.GetProperty("files").GetArrayLength()));
        var newTag = changed.Headers.ETag!.ToString();
        Assert.NotEqual(tag, newTag);
        Assert.Equal(HttpStatusCode.NotModified, (await Poll(newTag)).StatusCode);

        // Closing changes the state; someone outside the library learns nothing, not even from a tag they hold.
        using (var admin = app.Client(app.AdminToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/sessions/{id}/close", null)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await Poll(newTag)).StatusCode);
        using var other = app.Client(app.OtherAdminToken);
        using var outside = new HttpRequestMessage(HttpMethod.Get, $"/api/sessions/{id}");
        outside.Headers.TryAddWithoutValidation("If-None-Match", "*");
        var refused = await other.SendAsync(outside);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Null(refused.Headers.ETag);
    }

    [Fact]
    public async Task Closed_session_takes_no_uploads()
    {
        var id = await app.CreateSessionAsync();
        using var client = app.Client(app.AdminToken);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/sessions/{id}/close", null)).StatusCode);
        var response = await app.UploadAsync(id, Line());
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("closed", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Another_systems_administrator_cannot_see_or_upload_to_the_session()
    {
        var id = await app.CreateSessionAsync();
        using var other = app.Client(app.OtherAdminToken);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/sessions/{id}")).StatusCode);
        var list = await other.GetFromJsonAsync<JsonElement>("/api/sessions");
        Assert.DoesNotContain(list.EnumerateArray(), s => s.GetProperty("id").GetInt64() == id);
        var upload = await app.UploadAsync(id, Line(), workstation: "BR3-CIRC-01", token: app.OtherAdminToken);
        Assert.Equal(HttpStatusCode.NotFound, upload.StatusCode);
        var create = await other.PostAsJsonAsync("/api/sessions", new { org = "SYS1", description = "not mine" });
        Assert.Equal(HttpStatusCode.NotFound, create.StatusCode);
    }

    [Fact]
    public async Task Auditor_reads_but_cannot_create_or_upload()
    {
        var id = await app.CreateSessionAsync();
        using var auditor = app.Client(app.AuditorToken);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/sessions/{id}/rejected-lines.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsJsonAsync("/api/sessions", new { org = "SYS1", description = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.UploadAsync(id, Line(), token: app.AuditorToken)).StatusCode);
    }

    [Fact]
    public async Task Revoked_token_is_refused()
    {
        var token = await app.TokenAsync("staff.br1@test.example");
        using var client = app.Client(token);
        var tokens = await client.GetFromJsonAsync<JsonElement>("/api/sessions");
        Assert.Equal(JsonValueKind.Array, tokens.ValueKind);
        await using (var db = app.App.CreateContext())
        {
            var hash = OfflineCirc.Web.People.ApiTokens.Hash(token);
            var row = db.ApiTokens.Single(t => t.TokenHash == hash);
            row.RevokedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
        }
        var id = await app.CreateSessionAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.UploadAsync(id, Line(), token: token)).StatusCode);
    }

    [Fact]
    public async Task Rejected_lines_download_as_csv()
    {
        var id = await app.CreateSessionAsync();
        (await app.UploadAsync(id, Line() + "\n=HYPERLINK(\"http://x\")\n{\"timestamp\":1,\"type\":\"checkin\"}")).EnsureSuccessStatusCode();
        using var client = app.Client(app.AuditorToken);
        var csv = await client.GetStringAsync($"/api/sessions/{id}/rejected-lines.csv");
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("session_id,file_id,file_name,workstation,line_number,reason,raw_text", rows[0]);
        Assert.Equal(3, rows.Length);
        Assert.Contains("'=HYPERLINK", rows[1]);
    }

    [Fact]
    public async Task Portal_page_uploads_with_the_anti_forgery_token()
    {
        var id = await app.CreateSessionAsync();
        using var portal = PortalClient.Create(app.App);
        (await portal.LoginAsync("staff.br1@test.example", TestOrgs.Password)).Dispose();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("BR1-CIRC-02"), "workstation" },
            { new StringContent("0"), "delta" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(Line() + "\n" + Line())), "file", "desk2.jsonl" },
        };
        var page = $"/Sessions/Details/{id}";
        var upload = OfflineCirc.Tests.Reports.PageForms.Action(await portal.Http.GetStringAsync(page), "Upload");
        var response = await portal.PostMultipartAsync(upload, form, page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("2 lines read (Native): 2 stored, 0 duplicates, 0 rejected", html);

        using var noToken = new MultipartFormDataContent { { new StringContent("BR1-CIRC-02"), "workstation" } };
        var forged = await portal.Http.PostAsync(upload, noToken);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }
}
