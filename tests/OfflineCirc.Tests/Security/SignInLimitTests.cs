using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Security;

/// <summary>Password guessing is slowed per client address, and the time of an answer does not tell whether an account exists.</summary>
public class SignInLimitTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const int Limit = 5;
    private AppFactory _app = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _app = new AppFactory(database).With("Security:SignInsPerMinute", Limit.ToString());
        _ = _app.Server;
        await using var db = _app.CreateContext();
        var orgs = await TestOrgs.CreateAsync(db);
        await TestOrgs.CreateUserAsync(_app.Services, "staff.br1@test.example", Roles.Staff, orgs.Br1);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Sign_in_form_and_token_creation_share_one_budget_per_address_then_answer_429_in_words()
    {
        using var anonymous = PortalClient.Create(_app);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Limit; i++)
        {
            var answer = i % 2 == 0
                ? await anonymous.LoginAsync("nobody@test.example", "Wrong-Password-1")
                : await anonymous.Http.PostAsJsonAsync("/api/auth/token", new { email = "nobody@test.example", password = "Wrong-Password-1" });
            statuses.Add(answer.StatusCode);
        }
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses);

        var token = await anonymous.Http.PostAsJsonAsync("/api/auth/token", new { email = "staff.br1@test.example", password = TestOrgs.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, token.StatusCode);
        Assert.Contains("Too many sign-in attempts", await token.Content.ReadAsStringAsync());
        var form = await anonymous.LoginAsync("staff.br1@test.example", TestOrgs.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, form.StatusCode);
        Assert.Contains("Too many sign-in attempts", await form.Content.ReadAsStringAsync());

        // Reading the sign-in page is not an attempt.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Http.GetAsync("/Account/Login")).StatusCode);
    }
}

public class SignInTimingTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private AppFactory _app = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _app = new AppFactory(database);
        _ = _app.Server;
        await using var db = _app.CreateContext();
        var orgs = await TestOrgs.CreateAsync(db);
        await TestOrgs.CreateUserAsync(_app.Services, "staff.br1@test.example", Roles.Staff, orgs.Br1);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_unknown_email_takes_as_long_as_a_wrong_password()
    {
        using var client = _app.CreateClient();
        async Task<double> TimeAsync(string email)
        {
            var clock = Stopwatch.StartNew();
            var answer = await client.PostAsJsonAsync("/api/auth/token", new { email, password = "Wrong-Password-1" });
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            return clock.Elapsed.TotalMilliseconds;
        }
        // The lock-out comes after five failures: one warm-up and three timed tries of the real account stay under it.
        await TimeAsync("nobody@test.example");
        await TimeAsync("staff.br1@test.example");
        var unknown = new List<double>();
        var known = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            unknown.Add(await TimeAsync($"nobody{i}@test.example"));
            known.Add(await TimeAsync("staff.br1@test.example"));
        }
        var (u, k) = (unknown.Order().ElementAt(1), known.Order().ElementAt(1));
        // Without the dummy check an unknown email answered in a twentieth of the time; a busy machine adds noise.
        Assert.True(u >= k * 0.3, $"unknown email {u:0} ms, wrong password {k:0} ms");
    }
}
