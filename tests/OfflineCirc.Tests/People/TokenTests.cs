using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.People;

public partial class TokenTests(TestDatabase database) : PeopleTestBase(database)
{
    [Fact]
    public async Task Token_made_by_api_works_as_bearer_is_listed_and_is_refused_after_revoke()
    {
        await CreateUserAsync("script@sys1.example", Roles.Administrator, Orgs.Sys1);
        await SeedItemAsync(Orgs.Br1, "I-BR1-1");
        using var anonymous = App.CreateClient();

        var made = await anonymous.PostAsJsonAsync("/api/auth/token", new { email = "script@sys1.example", password = TestOrgs.Password, name = "nightly" });
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var answer = await made.Content.ReadFromJsonAsync<JsonElement>();
        var secret = answer.GetProperty("token").GetString()!;
        var id = answer.GetProperty("id").GetInt64();
        using var bearer = PortalClient.WithToken(App, secret);

        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/items/I-BR1-1")).StatusCode);
        // Scripts with a token need no anti-forgery header.
        Assert.Equal(HttpStatusCode.Created, (await bearer.PostAsJsonAsync("/api/workstations", new { name = "BR1-SCRIPT-01", org = "BR1" })).StatusCode);
        var list = await bearer.GetFromJsonAsync<JsonElement>("/api/auth/tokens");
        var listed = Assert.Single(list.EnumerateArray());
        Assert.Equal("nightly", listed.GetProperty("name").GetString());
        Assert.Equal(secret[..10], listed.GetProperty("prefix").GetString());
        Assert.False(listed.GetProperty("revoked").GetBoolean());
        Assert.DoesNotContain(secret, list.GetRawText());

        var revoke = await bearer.DeleteAsync($"/api/auth/tokens/{id}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/api/items/I-BR1-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/api/auth/tokens")).StatusCode);
        await using var db = App.CreateContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "token.revoked"));
    }

    [Fact]
    public async Task Token_made_on_the_page_is_shown_once_and_revoked_on_the_page()
    {
        using var staff = await SignInNewUserAsync("staff@br1.example", Roles.Staff, Orgs.Br1);

        var made = await staff.SubmitFormAsync("/Account/Tokens", "Create", new() { ["Input.Name"] = "desk laptop" });
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var html = await made.Content.ReadAsStringAsync();
        var secret = SecretPattern().Match(html).Groups[1].Value;
        Assert.StartsWith("oc_", secret);
        Assert.DoesNotContain(secret, made.RequestMessage!.RequestUri!.ToString());

        using var bearer = PortalClient.WithToken(App, secret);
        var list = await bearer.GetFromJsonAsync<JsonElement>("/api/auth/tokens");
        var id = Assert.Single(list.EnumerateArray()).GetProperty("id").GetInt64();

        var again = await staff.Http.GetStringAsync("/Account/Tokens");
        Assert.Contains("desk laptop", again);
        Assert.DoesNotContain(secret, again);

        var revoke = await staff.SubmitFormAsync("/Account/Tokens", "Revoke", new() { ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        Assert.Contains("revoked", await staff.Http.GetStringAsync("/Account/Tokens"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/api/auth/tokens")).StatusCode);
    }

    [Fact]
    public async Task Nobody_revokes_or_lists_someone_elses_token()
    {
        var owner = await CreateUserAsync("owner@br1.example", Roles.Staff, Orgs.Br1);
        await CreateUserAsync("other@br1.example", Roles.Staff, Orgs.Br1);
        var (id, secret) = await App.WithScopeAsync(async sp =>
        {
            var made = await sp.GetRequiredService<OfflineCirc.Web.People.ApiTokens>().CreateAsync(owner, "owner's");
            return (made.Token.Id, made.Secret);
        });
        using var other = await SignInAsync("other@br1.example");

        Assert.Equal("[]", await other.Http.GetStringAsync("/api/auth/tokens"));
        var af = await other.Http.GetFromJsonAsync<JsonElement>("/api/antiforgery");
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/auth/tokens/{id}");
        request.Headers.Add("X-CSRF-TOKEN", af.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.SendAsync(request)).StatusCode);

        using var bearer = PortalClient.WithToken(App, secret);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/auth/tokens")).StatusCode);
    }

    [Fact]
    public async Task Cookie_state_change_on_the_api_needs_the_anti_forgery_header()
    {
        using var staff = await SignInNewUserAsync("staff@br1.example", Roles.Staff, Orgs.Br1);

        var bare = await staff.Http.PostAsJsonAsync("/api/workstations", new { name = "BR1-CIRC-01", org = "BR1" });
        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/auth/tokens/1");
        var bareDelete = await staff.Http.SendAsync(delete);
        var withHeader = await staff.PostJsonAsync("/api/workstations", new { name = "BR1-CIRC-01", org = "BR1" });

        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        Assert.Contains("anti-forgery", await bare.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, bareDelete.StatusCode);
        Assert.Equal(HttpStatusCode.Created, withHeader.StatusCode);
        await using var db = App.CreateContext();
        Assert.Equal(1, await db.Workstations.CountAsync());
    }

    [Fact]
    public async Task A_token_carries_its_accounts_name_roles_and_library_boundary()
    {
        await CreateUserAsync("admin@br1.example", Roles.Administrator, Orgs.Br1);
        await CreateUserAsync("staff@br1.example", Roles.Staff, Orgs.Br1);
        using var admin = PortalClient.WithToken(App, await App.TokenAsync("admin@br1.example"));
        using var staff = PortalClient.WithToken(App, await App.TokenAsync("staff@br1.example"));
        using var consortium = PortalClient.WithToken(App, await App.TokenAsync(AppFactory.AdminEmail, AppFactory.AdminPassword));

        var own = await admin.PostAsJsonAsync("/api/sessions", new { org = "BR1", description = "Desk outage" });
        var outside = await admin.PostAsJsonAsync("/api/sessions", new { org = "BR2", description = "Not mine" });
        var other = await consortium.PostAsJsonAsync("/api/sessions", new { org = "BR2", description = "Branch two" });

        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        var ownId = (await own.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var otherId = (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var ownStatus = await admin.GetFromJsonAsync<JsonElement>($"/api/sessions/{ownId}");
        Assert.Equal("admin@br1.example", ownStatus.GetProperty("createdBy").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/sessions/{otherId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await consortium.GetAsync($"/api/sessions/{otherId}")).StatusCode);
        // Staff may look but not start a run: the role comes with the token.
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/api/sessions/{ownId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsync($"/api/sessions/{ownId}/process", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync($"/api/sessions/{otherId}")).StatusCode);
    }

    [GeneratedRegex("id=\"new-secret\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex SecretPattern();
}
