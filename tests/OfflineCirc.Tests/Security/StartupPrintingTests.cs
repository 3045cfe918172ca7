using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Security;

/// <summary>A password appears in the output only of the start that created its account.</summary>
public class StartupPrintingTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly Dictionary<string, string> Demo = new() { ["Demo:Seed"] = "true", ["Demo:Password"] = "Demo-Password-1" };

    private async Task<string> StartAndReadAsync()
    {
        await using var app = await AppProcess.StartAsync(database.ConnectionString, Demo, TimeSpan.FromMinutes(4));
        return app.RecentLog();
    }

    [Fact]
    public async Task Passwords_are_printed_by_the_first_start_only()
    {
        var first = await StartAndReadAsync();
        Assert.Contains($"Consortium administrator: {AppFactory.AdminEmail} / {AppFactory.AdminPassword}", first);
        Assert.Contains("staff.br1@demo.example / Demo-Password-1", first);

        var second = await StartAndReadAsync();
        Assert.Contains("Application started", second);
        Assert.DoesNotContain(AppFactory.AdminPassword, second);
        Assert.DoesNotContain("Demo-Password-1", second);
    }
}
