using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Import;

/// <summary>An app over the class's database with the small test consortium, and helpers to post CSVs to the API.</summary>
public sealed class ImportTestKit : IAsyncDisposable
{
    private ImportTestKit(AppFactory app, TestOrgs orgs, HttpClient admin)
    {
        App = app;
        Orgs = orgs;
        Admin = admin;
    }

    public AppFactory App { get; }
    public TestOrgs Orgs { get; }

    /// <summary>The bootstrap consortium administrator, by bearer token.</summary>
    public HttpClient Admin { get; }

    /// <summary>Empties the class's database first, so each test starts from the same known state.</summary>
    public static async Task<ImportTestKit> StartAsync(TestDatabase database)
    {
        await database.ResetAsync();
        var app = new AppFactory(database);
        app.CreateClient().Dispose();
        await using var db = app.CreateContext();
        var orgs = await TestOrgs.CreateAsync(db);
        var admin = await ClientForAsync(app, AppFactory.AdminEmail, AppFactory.AdminPassword);
        return new ImportTestKit(app, orgs, admin);
    }

    public async Task<HttpClient> UserAsync(string email, string role, OrgUnit home)
    {
        await TestOrgs.CreateUserAsync(App.Services, email, role, home);
        return await ClientForAsync(App, email, TestOrgs.Password);
    }

    public static async Task<HttpClient> ClientForAsync(AppFactory app, string email, string password)
    {
        return PortalClient.WithToken(app, await app.TokenAsync(email, password));
    }

    public static Task<HttpResponseMessage> PostCsvAsync(HttpClient client, string kind, string csv) =>
        client.PostAsync($"/api/import/{kind}", new StringContent(csv, Encoding.UTF8, "text/csv"));

    /// <summary>Imports and expects success; returns (rows, inserted, updated).</summary>
    public async Task<(int Rows, int Inserted, int Updated)> ImportAsync(string kind, string csv, HttpClient? client = null)
    {
        var response = await PostCsvAsync(client ?? Admin, kind, csv);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{kind}: {response.StatusCode} {body}");
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(kind, json.GetProperty("kind").GetString());
        return (json.GetProperty("rows").GetInt32(), json.GetProperty("inserted").GetInt32(), json.GetProperty("updated").GetInt32());
    }

    /// <summary>Imports and expects 422; returns the row errors as "row: message".</summary>
    public async Task<List<(int Row, string Message)>> RejectedAsync(string kind, string csv, HttpClient? client = null)
    {
        var response = await PostCsvAsync(client ?? Admin, kind, csv);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{kind}: {response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("message").GetString()!)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await App.DisposeAsync();
    }
}
