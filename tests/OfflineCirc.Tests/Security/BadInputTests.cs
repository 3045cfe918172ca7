using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Tests.Sessions;

namespace OfflineCirc.Tests.Security;

/// <summary>Each bad input of issue 11 is answered 4xx with a sentence, and nothing of it is stored.</summary>
public partial class BadInputTests(IntakeApp app) : IClassFixture<IntakeApp>
{
    private const string NulSentence = "NUL character";

    private async Task<(int Sessions, int Files, int Audit)> CountsAsync()
    {
        await using var db = app.App.CreateContext();
        return (await db.Sessions.CountAsync(), await db.UploadedFiles.CountAsync(), await db.AuditEntries.CountAsync());
    }

    private async Task<PortalClient> SignInAsync(string email = "admin.sys1@test.example")
    {
        var client = PortalClient.Create(app.App);
        Assert.Equal(HttpStatusCode.Redirect, (await client.LoginAsync(email, TestOrgs.Password)).StatusCode);
        return client;
    }

    [Theory]
    [InlineData("NOPE")]
    [InlineData("BR3")]
    public async Task Sessions_of_an_unknown_or_unreachable_library_are_not_found_on_the_api_and_the_page(string org)
    {
        using var api = app.Client(app.AdminToken);
        var answer = await api.GetAsync($"/api/sessions?org={org}");
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Contains($"no library with the short name '{org}'", await answer.Content.ReadAsStringAsync());
        using var portal = await SignInAsync();
        var page = await portal.Http.GetAsync($"/Sessions?org={org}");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains($"no library with the short name '{org}'", WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("/api/sessions?org=BR%001")]
    [InlineData("/api/sessions/{id}/exceptions.csv?code=CIRC%00")]
    [InlineData("/api/sessions/{id}/followups.csv?branch=BR1%00")]
    [InlineData("/api/sessions/{id}/results.csv?x%00=1")]
    public async Task A_nul_in_a_filter_or_lookup_is_refused_before_any_download_starts(string url)
    {
        var id = await app.CreateSessionAsync();
        using var api = app.Client(app.AdminToken);
        var answer = await api.GetAsync(url.Replace("{id}", id.ToString()));
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Null(answer.Content.Headers.ContentDisposition);
        Assert.Contains(NulSentence, await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_nul_in_a_json_field_or_a_page_form_stores_nothing()
    {
        var before = await CountsAsync();
        using var api = app.Client(app.AdminToken);
        var json = await api.PostAsJsonAsync("/api/sessions", new { org = "BR1", description = "Outage\0 of March" });
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Contains(NulSentence, await json.Content.ReadAsStringAsync());
        var workstation = await api.PostAsJsonAsync("/api/workstations", new { name = "BR1-\0", org = "BR1" });
        Assert.Equal(HttpStatusCode.BadRequest, workstation.StatusCode);

        using var portal = await SignInAsync();
        var form = await portal.PostFormAsync("/Sessions", new() { ["Input.Org"] = "BR1", ["Input.Description"] = "Outage\0" });
        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        Assert.Contains(NulSentence, WebUtility.HtmlDecode(await form.Content.ReadAsStringAsync()));
        var lookup = await portal.Http.GetAsync("/Lookup/Patron?barcode=21%0034");
        Assert.Equal(HttpStatusCode.BadRequest, lookup.StatusCode);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_nul_in_an_upload_field_stores_no_file()
    {
        var id = await app.CreateSessionAsync();
        var before = await CountsAsync();
        var workstation = await app.UploadAsync(id, Line(), workstation: "BR1-CIRC-01\0");
        Assert.Equal(HttpStatusCode.BadRequest, workstation.StatusCode);
        Assert.Contains(NulSentence, await workstation.Content.ReadAsStringAsync());
        Assert.Equal(before, await CountsAsync());
    }

    public static TheoryData<string, string> MalformedBodies => new()
    {
        // Cut short: the file part never ends.
        { "b1", "--b1\r\nContent-Disposition: form-data; name=\"workstation\"\r\n\r\nBR1-CIRC-01\r\n--b1\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jsonl\"\r\n\r\n{\"id\":\"x\"" },
        // A part header that is not a header.
        { "b2", "--b2\r\nthis is not a header\r\n\r\nvalue\r\n--b2--\r\n" },
        // A boundary longer than multipart allows.
        { new string('b', 200), "--" + new string('b', 200) + "\r\n\r\n" },
        // No boundary at all.
        { "", "anything" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_malformed_multipart_upload_is_refused_in_words(string boundary, string body)
    {
        var id = await app.CreateSessionAsync();
        var before = await CountsAsync();
        using var api = app.Client(app.StaffToken);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", boundary.Length == 0 ? "multipart/form-data" : $"multipart/form-data; boundary={boundary}");
        var answer = await api.PostAsync($"/api/sessions/{id}/files", content);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Matches("multipart|boundary|file", problem.GetProperty("title").GetString()!);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_malformed_form_posted_to_a_page_is_refused_in_words()
    {
        var id = await app.CreateSessionAsync();
        using var portal = await SignInAsync("staff.br1@test.example");
        var page = await portal.Http.GetStringAsync($"/Sessions/Details?id={id}");
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(
            "--b3\r\nContent-Disposition: form-data; name=\"__RequestVerificationToken\"\r\n\r\n" + PortalClient.AntiforgeryToken(page) + "\r\n--b3\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nabc"));
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b3");
        var answer = await portal.Http.PostAsync(UploadAction(page), content);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("The form could not be read", WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_too_large_upload_through_the_page_form_answers_413_in_words_and_stores_nothing()
    {
        var id = await app.CreateSessionAsync();
        var before = await CountsAsync();
        using var portal = await SignInAsync("staff.br1@test.example");
        var page = await portal.Http.GetStringAsync($"/Sessions/Details?id={id}");
        // Past the form limit (the upload limit and a megabyte): refused while the form is read, before the page's handler.
        foreach (var size in new[] { 3 * 1024 * 1024 })
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent("BR1-CIRC-01"), "workstation" },
                { new StringContent("0"), "delta" },
                { new StringContent(PortalClient.AntiforgeryToken(page)), "__RequestVerificationToken" },
            };
            var lines = new StringBuilder();
            while (lines.Length < size)
            {
                lines.Append(Line()).Append('\n');
            }
            form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(lines.ToString())), "file", "big.jsonl");
            var answer = await portal.Http.PostAsync(UploadAction(page), form);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.StatusCode);
            Assert.Contains("larger than the 195 KB this server accepts", WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync()));
        }
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("to=9999-12-31")]
    [InlineData("from=0001-01-01&to=0001-01-01")]
    [InlineData("from=9999-12-31")]
    [InlineData("to=10000-01-01")]
    [InlineData("from=2026-02-30")]
    [InlineData("session=-9223372036854775808&before=-1&size=-5")]
    public async Task The_audit_log_takes_any_date_without_a_server_error(string query)
    {
        using var portal = await SignInAsync();
        var answer = await portal.Http.GetAsync("/Reports/Audit?" + query);
        Assert.True((int)answer.StatusCode < 500, $"{query}: {answer.StatusCode}");
    }

    [Fact]
    public async Task A_long_description_is_refused_by_the_page_and_the_api_with_the_same_sentence()
    {
        var before = await CountsAsync();
        var description = new string('x', 100_000);
        using var api = app.Client(app.AdminToken);
        var json = await api.PostAsJsonAsync("/api/sessions", new { org = "BR1", description });
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Contains("Keep the description under 200 characters.", await json.Content.ReadAsStringAsync());
        using var portal = await SignInAsync();
        var form = await portal.PostFormAsync("/Sessions", new() { ["Input.Org"] = "BR1", ["Input.Description"] = description });
        Assert.Contains("Keep the description under 200 characters.", await form.Content.ReadAsStringAsync());
        Assert.Equal(before, await CountsAsync());
    }

    private static string UploadAction(string page) =>
        WebUtility.HtmlDecode(UploadFormPattern().Match(page) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No upload form on the page."));

    private static string Line() =>
        $$"""{"id":"{{Guid.NewGuid()}}","timestamp":1772701200,"type":"in_house_use","workstation":"BR1-CIRC-01","org":"BR1","barcode":"31234000000017","count":2}""";

    [GeneratedRegex("<form[^>]*action=\"([^\"]*handler=Upload[^\"]*)\"")]
    private static partial Regex UploadFormPattern();
}
