using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;
using OfflineCirc.Tests.Infrastructure;
using static OfflineCirc.Tests.Replay.ReplayScenarios;

namespace OfflineCirc.Tests.Replay;

public class FixAndRetryTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static async Task<int> RetryAsync(ReplayWorld w)
    {
        var p = w.Processor();
        var run = await p.StartRunAsync(w.Session.Id, RunKind.Retry, "admin@test");
        await p.RunAsync(w.Session.Id, run, "admin@test", CancellationToken.None);
        return run;
    }

    [Fact]
    public async Task Corrected_item_barcode_is_applied_by_a_retry_run_keeping_history()
    {
        var w = await ReplayWorld.CreateAsync(db);
        var good = await w.CheckoutAsync(Ws1, Monday, "P2", "I2");
        var typo = await w.CheckoutAsync(Ws1, Monday, "P1", "I1X");
        await w.RunAsync();
        Assert.Equal(ResultStatus.Failed, (await w.ResultAsync(typo)).Status);

        var edit = await w.Processor().EditFailedTransactionAsync(typo, null, "I1", null, "fixer@test");
        Assert.True(edit.Ok, edit.Error);
        var run = await RetryAsync(w);

        Assert.Equal(2, run);
        var result = await w.ResultAsync(typo);
        Assert.Equal((ResultStatus.Applied, 2), (result.Status, result.Run));
        Assert.Equal(1, (await w.ResultAsync(good)).Run);
        Assert.Single(await w.CirculationsAsync("I1"));
        Assert.Single(await w.CirculationsAsync("I2"));
        await using var c = w.Context();
        var tx = await c.Transactions.SingleAsync(t => t.Id == typo);
        Assert.Equal(("I1", "I1X", true), (tx.ItemBarcode, tx.OriginalItemBarcode, tx.Edited));
        var audit = await c.TransactionEdits.SingleAsync();
        Assert.Equal(("item_barcode", "I1X", "I1", "fixer@test"), (audit.Field, audit.OldValue, audit.NewValue, audit.EditedBy));
        var history = await c.Results.Where(r => r.TransactionId == typo).OrderBy(r => r.Run).ToListAsync();
        Assert.Equal([(1, false, ResultStatus.Failed), (2, true, ResultStatus.Applied)], history.Select(r => (r.Run, r.IsCurrent, r.Status)));
    }

    [Fact]
    public async Task Only_failed_transactions_can_be_edited_and_due_dates_must_be_dates()
    {
        var w = await ReplayWorld.CreateAsync(db);
        var applied = await w.CheckoutAsync(Ws1, Monday, "P1", "I1");
        var failed = await w.CheckoutAsync(Ws1, Monday, "NOPE", "I2");
        await w.RunAsync();
        var p = w.Processor();

        Assert.False((await p.EditFailedTransactionAsync(applied, "P2", null, null, "x")).Ok);
        Assert.False((await p.EditFailedTransactionAsync(failed, null, null, "someday", "x")).Ok);
        Assert.True((await p.EditFailedTransactionAsync(failed, "P2", null, "2026-03-20", "x")).Ok);
        Assert.True((await p.EditFailedTransactionAsync(failed, "P1", null, null, "y")).Ok);
        await using var c = w.Context();
        var tx = await c.Transactions.SingleAsync(t => t.Id == failed);
        Assert.Equal(("P1", "NOPE", "2026-03-20"), (tx.PatronBarcode, tx.OriginalPatronBarcode, tx.DueDate));
        Assert.Equal(3, await c.TransactionEdits.CountAsync());
    }

    [Fact]
    public async Task Forced_skipped_transaction_is_applied_by_the_retry_run()
    {
        var w = await ReplayWorld.CreateAsync(db);
        await w.NewItemAsync("CHG", changedAt: Monday.AddHours(1));
        var skipped = await w.CheckoutAsync(Ws1, Monday, "P1", "CHG");
        await w.RunAsync();
        Assert.Equal(ResultStatus.Skipped, (await w.ResultAsync(skipped)).Status);

        var p = w.Processor();
        Assert.True((await p.ForceAsync(skipped, "admin@test")).Ok);
        await RetryAsync(w);

        Assert.Equal(ResultStatus.Applied, (await w.ResultAsync(skipped)).Status);
        Assert.Single(await w.CirculationsAsync("CHG"));
    }

    [Fact]
    public async Task Retry_leaves_unforced_skips_and_warnings_alone()
    {
        var w = await ReplayWorld.CreateAsync(db);
        await w.NewItemAsync("CHG", changedAt: Monday.AddHours(1));
        var skipped = await w.CheckoutAsync(Ws1, Monday, "P1", "CHG");
        var warning = await w.CheckinAsync(Ws1, Monday, "I2");
        await w.RunAsync();
        await RetryAsync(w);
        Assert.Equal(1, (await w.ResultAsync(skipped)).Run);
        Assert.Equal(1, (await w.ResultAsync(warning)).Run);
    }

    [Fact]
    public async Task Results_that_are_not_applied_can_be_resolved_with_a_note()
    {
        var w = await ReplayWorld.CreateAsync(db);
        var applied = await w.CheckoutAsync(Ws1, Monday, "P1", "I1");
        var warning = await w.CheckinAsync(Ws1, Monday, "I2");
        await w.RunAsync();
        var p = w.Processor();

        Assert.False((await p.ResolveAsync(applied, "nothing to see", "auditor@test")).Ok);
        Assert.True((await p.ResolveAsync(warning, "shelved it", "auditor@test")).Ok);
        var result = await w.ResultAsync(warning);
        Assert.Equal((true, "shelved it", "auditor@test"), (result.Resolved, result.ResolutionNote, result.ResolvedBy));
        Assert.Equal(ReplayWorld.Now, result.ResolvedAt);
    }

    [Fact]
    public async Task A_second_run_cannot_start_while_one_is_unfinished()
    {
        var w = await ReplayWorld.CreateAsync(db);
        await w.CheckoutAsync(Ws1, Monday, "P1", "I1");
        var p = w.Processor();
        var run = await p.StartRunAsync(w.Session.Id, RunKind.Process, "admin@test");
        await Assert.ThrowsAsync<SessionBusyException>(() => p.StartRunAsync(w.Session.Id, RunKind.Retry, "admin@test"));
        Assert.Equal(1, await p.RunAsync(w.Session.Id, run, "admin@test", CancellationToken.None));
        Assert.Equal(0, await p.RunAsync(w.Session.Id, run, "admin@test", CancellationToken.None));
    }
}
