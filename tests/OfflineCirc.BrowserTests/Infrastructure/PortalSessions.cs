using Microsoft.EntityFrameworkCore;

namespace OfflineCirc.BrowserTests.Infrastructure;

/// <summary>A session processed through the portal, with one transaction of each outcome, for tests that only look.</summary>
public sealed record ProcessedSession(long Id, OutageFile File, IReadOnlyDictionary<string, long> Transactions);

public static class PortalSessions
{
    public static Task<ProcessedSession> ProcessedAsync(PortalFixture app) => app.SharedAsync(nameof(ProcessedAsync), async () =>
    {
        var file = await app.World.OutageAsync(app.Seed);
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var id = await SessionPage.CreateAsync(page, Seed.Org, "Outage to look at");
        await SessionPage.UploadAsync(page, file.Payload());
        await SessionPage.RunAsync(page, "Process");
        await using var db = app.CreateDbContext();
        var transactions = await db.Transactions.Where(t => t.SessionId == id).ToDictionaryAsync(t => t.Key, t => t.Id);
        return new ProcessedSession(id, file, transactions);
    });
}
