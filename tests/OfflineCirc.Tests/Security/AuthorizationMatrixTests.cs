using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Tests.People;
using static OfflineCirc.Tests.Security.AuthorizationMatrix;

namespace OfflineCirc.Tests.Security;

/// <summary>
/// Every API endpoint and every page handler the app lists, plus the job dashboard, asked by each kind of caller about
/// BR1's data. The expected answers are <see cref="AuthorizationMatrix.Rows"/>; an endpoint without a row fails here.
/// </summary>
public class AuthorizationMatrixTests(TestDatabase database) : PeopleTestBase(database)
{
    [Fact]
    public async Task Every_endpoint_and_page_handler_answers_each_role_as_the_matrix_says()
    {
        var listed = await ListedEndpointsAsync();
        var missing = listed.Except(Rows.Keys).ToList();
        var stale = Rows.Keys.Except(listed).ToList();
        Assert.True(missing.Count == 0, "Endpoints without a row in the matrix: " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "Rows for endpoints the app no longer has: " + string.Join(", ", stale));

        var values = await SeedAsync();
        var callers = new List<(string Name, HttpClient Client, string? Antiforgery)> { ("anonymous", PortalClient.Create(App).Http, null) };
        foreach (var (name, email, password) in new[]
        {
            ("staff", "staff@br1.example", TestOrgs.Password), ("auditor", "auditor@br1.example", TestOrgs.Password),
            ("admin", "admin@br1.example", TestOrgs.Password), ("other-admin", "admin@sys2.example", TestOrgs.Password),
            ("consortium", AppFactory.AdminEmail, AppFactory.AdminPassword),
        })
        {
            var client = (await SignInAsync(email, password)).Http;
            var token = (await client.GetFromJsonAsync<AntiforgeryAnswer>("/api/antiforgery"))!.Token;
            callers.Add((name, client, token));
        }

        var wrong = new List<string>();
        // Signing out ends the caller's cookie, so those rows go last.
        foreach (var (key, row) in Rows.OrderBy(r => r.Key.StartsWith("POST /Account/Logout", StringComparison.Ordinal)).ThenBy(r => r.Key, StringComparer.Ordinal))
        {
            var method = key[..key.IndexOf(' ')];
            var url = values.Aggregate(row.Url, (u, v) => u.Replace("{" + v.Key + "}", v.Value, StringComparison.Ordinal));
            for (var i = 0; i < callers.Count; i++)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (method != "GET")
                {
                    // The API's JSON endpoints refuse other media types while routing, before authorization is asked.
                    request.Content = Body(row, values, url);
                    if (callers[i].Antiforgery is { } af)
                    {
                        request.Headers.Add("X-CSRF-TOKEN", af);
                    }
                }
                using var response = await callers[i].Client.SendAsync(request);
                var got = Classify(response);
                if (got != row.Expected[i])
                {
                    wrong.Add($"{key} as {callers[i].Name}: expected {row.Expected[i]}, got {got} ({(int)response.StatusCode} {response.Headers.Location})");
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>"METHOD /pattern" for each API endpoint, "METHOD /page?handler=Name" for each page handler, and the dashboard.</summary>
    private async Task<SortedSet<string>> ListedEndpointsAsync()
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal) { "GET /hangfire" };
        var loader = App.Services.GetRequiredService<PageLoader>();
        foreach (var endpoint in App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not { } page)
            {
                foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                {
                    keys.Add($"{method} {pattern}");
                }
                continue;
            }
            // A folder's Index page answers at the folder too; one name is enough.
            if (pattern == "/Index" || pattern.EndsWith("/Index", StringComparison.Ordinal))
            {
                continue;
            }
            var compiled = await loader.LoadAsync(page, endpoint.Metadata);
            foreach (var handler in compiled.HandlerMethods)
            {
                keys.Add($"{handler.HttpMethod.ToUpperInvariant()} {pattern}{(handler.Name is null ? "" : "?handler=" + handler.Name)}");
            }
        }
        return keys;
    }

    /// <summary>BR1's session, workstation, patron, item, a BR1 account to manage and a token of BR1's administrator.</summary>
    private async Task<Dictionary<string, string>> SeedAsync()
    {
        await CreateUserAsync("staff@br1.example", Roles.Staff, Orgs.Br1);
        await CreateUserAsync("auditor@br1.example", Roles.Auditor, Orgs.Br1);
        var admin = await CreateUserAsync("admin@br1.example", Roles.Administrator, Orgs.Br1);
        await CreateUserAsync("admin@sys2.example", Roles.Administrator, Orgs.Sys2);
        var target = await CreateUserAsync("target@br1.example", Roles.Staff, Orgs.Br1);
        await App.TokenAsync("admin@br1.example");
        await SeedPatronAsync(Orgs.Br1, "MATRIX-P1");
        await SeedItemAsync(Orgs.Br1, "MATRIX-I1");
        await using var db = App.CreateContext();
        db.Workstations.Add(new Workstation { Name = "BR1-CIRC-01", OrgUnitId = Orgs.Br1.Id, RegisteredAt = DateTimeOffset.UtcNow });
        var session = db.Sessions.Add(new OfflineSession
        {
            OrgUnitId = Orgs.Br1.Id,
            Description = "Matrix",
            State = SessionState.Open,
            CreatedBy = "admin@br1.example",
            CreatedAt = DateTimeOffset.UtcNow,
        }).Entity;
        await db.SaveChangesAsync();
        var file = db.UploadedFiles.Add(new UploadedFile
        {
            SessionId = session.Id,
            Workstation = "BR1-CIRC-01",
            FileName = "matrix.jsonl",
            UploadedBy = "admin@br1.example",
            UploadedAt = DateTimeOffset.UtcNow,
            Format = "native",
        }).Entity;
        await db.SaveChangesAsync();
        const string line = """{"id":"matrix-1","type":"checkin","timestamp":1764000000,"barcode":"MATRIX-I1","workstation":"BR1-CIRC-01"}""";
        var transaction = db.Transactions.Add(new OfflineTransaction
        {
            Key = "matrix-1",
            SessionId = session.Id,
            FileId = file.Id,
            LineNumber = 1,
            Type = "checkin",
            Workstation = "BR1-CIRC-01",
            RecordedAt = DateTimeOffset.UtcNow,
            EffectiveAt = DateTimeOffset.UtcNow,
            ItemBarcode = "MATRIX-I1",
            Payload = line,
        }).Entity;
        await db.SaveChangesAsync();
        return new()
        {
            ["session"] = session.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["user"] = target.Id,
            ["token"] = (await db.ApiTokens.SingleAsync(t => t.UserId == admin.Id)).Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["patron"] = "MATRIX-P1",
            ["item"] = "MATRIX-I1",
            ["workstation"] = "BR1-CIRC-01",
            ["transaction"] = transaction.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The row's body, else an empty JSON object for the API (its JSON endpoints refuse other media types while
    /// routing, before authorization is asked) and an empty form for pages.</summary>
    private static HttpContent Body(Row row, Dictionary<string, string> values, string url)
    {
        if (row.Body == MultipartFile)
        {
            var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes($$"""{"id":"{{Guid.NewGuid()}}","timestamp":1772701200,"type":"checkin","barcode":"MATRIX-I1"}"""));
            return new MultipartFormDataContent { { new StringContent(values["workstation"]), "workstation" }, { file, "file", "pending.jsonl" } };
        }
        if (row.Body is { } json)
        {
            return new StringContent(values.Aggregate(json, (b, v) => b.Replace("{" + v.Key + "}", v.Value, StringComparison.Ordinal)), System.Text.Encoding.UTF8, "application/json");
        }
        return url.StartsWith("/api/", StringComparison.Ordinal)
            ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json")
            : new FormUrlEncodedContent([]);
    }

    private static Outcome Classify(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.ToString() ?? "";
        return response.StatusCode switch
        {
            >= HttpStatusCode.InternalServerError => Outcome.ServerError,
            HttpStatusCode.Unauthorized => Outcome.Login,
            HttpStatusCode.Forbidden => Outcome.Denied,
            HttpStatusCode.NotFound => Outcome.NotFound,
            // A challenge names where to come back to; signing out just goes to the sign-in page.
            HttpStatusCode.Redirect when location.Contains("/Account/Login?ReturnUrl=", StringComparison.Ordinal) => Outcome.Login,
            HttpStatusCode.Redirect when location.Contains("/Account/AccessDenied", StringComparison.Ordinal) => Outcome.Denied,
            _ => Outcome.Ok,
        };
    }

    private sealed record AntiforgeryAnswer(string Token);
}
