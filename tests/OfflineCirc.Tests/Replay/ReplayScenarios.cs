using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;

namespace OfflineCirc.Tests.Replay;

/// <summary>
/// One replay scenario: arrange the world and the captured transactions (returning the one under test), the result
/// it must get, and the database effects to check.
/// </summary>
public sealed record Scenario(
    string Name,
    Func<ReplayWorld, Task<long>> Arrange,
    ResultStatus Status,
    string[] Codes,
    Func<ReplayWorld, TransactionResult, Task>? Check = null)
{
    public override string ToString() => Name;
}

/// <summary>The table of scenarios: one per rule and per result code of docs/replay-rules.md.</summary>
public static partial class ReplayScenarios
{
    public const string Ws1 = "BR1-CIRC-01";
    public const string Ws2 = "BR1-CIRC-02";
    public const string WsBr2 = "BR2-CIRC-01";
    public const string WsVan = "BRV-CIRC-01";

    /// <summary>Monday 2 March 2026, 10:00 in Toronto.</summary>
    public static readonly DateTimeOffset Monday = T("2026-03-02T10:00:00-05:00");

    public static DateTimeOffset T(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).ToUniversalTime();

    public static readonly IReadOnlyDictionary<string, Scenario> All =
        CheckoutScenarios().Concat(RenewalScenarios()).Concat(CheckinScenarios()).Concat(OtherScenarios())
            .ToDictionary(s => s.Name);

    private static Scenario S(string name, Func<ReplayWorld, Task<long>> arrange, ResultStatus status, string[] codes,
        Func<ReplayWorld, TransactionResult, Task>? check = null) => new(name, arrange, status, codes, check);

    private static async Task<long> AfterAsync(Task first, Func<Task<long>> then)
    {
        await first;
        return await then();
    }

    private static IEnumerable<Scenario> CheckoutScenarios()
    {
        yield return S("checkout_records_loan_due_end_of_day_toronto", w => w.CheckoutAsync(Ws1, Monday, "P1", "I1"),
            ResultStatus.Applied, [], async (w, r) =>
            {
                var circ = Assert.Single(await w.CirculationsAsync("I1"));
                Assert.Equal(T("2026-03-16T23:59:59-04:00"), circ.DueTime);
                Assert.Equal(w.Workstations[Ws1].Id, circ.CheckoutWorkstationId);
                Assert.Equal(w.Br1.Id, circ.CheckoutOrgId);
                Assert.Equal("admin@test", circ.ProcessedBy);
                Assert.Equal(circ.Id, r.CirculationId);
                Assert.Equal(circ.DueTime, r.DueTime);
                var item = await w.ItemAsync("I1");
                Assert.Equal(ItemStatus.CheckedOut, item.Status);
                Assert.Equal(w.Session.Id, item.StatusChangeSessionId);
                Assert.Equal(Monday, item.StatusChangedAt);
            });
        yield return S("checkout_in_vancouver_is_due_end_of_day_vancouver",
            w => w.CheckoutAsync(WsVan, T("2026-03-02T10:00:00-08:00"), "P1", "I1"), ResultStatus.Applied, [], async (w, r) =>
                Assert.Equal(T("2026-03-16T23:59:59-07:00"), Assert.Single(await w.CirculationsAsync("I1")).DueTime));
        yield return S("checkout_unknown_patron_fails", w => w.CheckoutAsync(Ws1, Monday, "NOPE", "I1"),
            ResultStatus.Failed, [ResultCodes.ActorUserNotFound], async (w, _) => Assert.Empty(await w.CirculationsAsync("I1")));
        yield return S("checkout_unknown_item_fails", w => w.CheckoutAsync(Ws1, Monday, "P1", "NOPE"),
            ResultStatus.Failed, [ResultCodes.AssetCopyNotFound]);
        yield return S("noncat_checkout_records_count_and_due",
            w => AfterAsync(w.AddAsync(new NoncatType { Name = "paperback", OwningOrgId = w.Cons.Id, LoanDuration = 7 }),
                () => w.CheckoutAsync(Ws1, Monday, "P1", null, noncat: "Paperback")),
            ResultStatus.Applied, [], async (w, _) =>
            {
                await using var c = w.Context();
                var n = await c.NoncatCirculations.SingleAsync();
                Assert.Equal(2, n.Count);
                Assert.Equal(T("2026-03-09T23:59:59-04:00"), n.DueTime);
                Assert.Equal(w.Workstations[Ws1].Id, n.WorkstationId);
            });
        yield return S("noncat_unknown_type_fails", w => w.CheckoutAsync(Ws1, Monday, "P1", null, noncat: "scroll"),
            ResultStatus.Failed, [ResultCodes.NoncatTypeNotFound]);
        yield return S("checkout_inactive_card_warns_and_records_loan",
            w => AfterAsync(w.NewPatronAsync("LOST", cardActive: false), () => w.CheckoutAsync(Ws1, Monday, "LOST", "I1")),
            ResultStatus.Warning, [ResultCodes.PatronCardInactive], async (w, r) =>
            {
                Assert.Single(await w.CirculationsAsync("I1"));
                Assert.Equal([FollowUpKinds.BlockedPatronLoan], r.FollowUps);
            });
        yield return S("checkout_inactive_patron_warns",
            w => AfterAsync(w.NewPatronAsync("INA", p => p.Active = false), () => w.CheckoutAsync(Ws1, Monday, "INA", "I1")),
            ResultStatus.Warning, [ResultCodes.PatronInactive]);
        yield return S("checkout_expired_patron_warns",
            w => AfterAsync(w.NewPatronAsync("EXP", p => p.ExpireDate = new DateOnly(2026, 3, 1)), () => w.CheckoutAsync(Ws1, Monday, "EXP", "I1")),
            ResultStatus.Warning, [ResultCodes.PatronAccountExpired]);
        yield return S("checkout_barred_patron_warns",
            w => AfterAsync(w.NewPatronAsync("BAR", p => p.Barred = true), () => w.CheckoutAsync(Ws1, Monday, "BAR", "I1")),
            ResultStatus.Warning, [ResultCodes.PatronBarred], async (w, _) => Assert.Single(await w.CirculationsAsync("I1")));
        yield return S("checkout_patron_over_fine_threshold_warns",
            w => AfterAsync(w.BillAsync("P1", 5m, Monday.AddDays(-30)), () => w.CheckoutAsync(Ws1, Monday, "P1", "I1")),
            ResultStatus.Warning, [ResultCodes.PatronExceedsFines], async (w, r) => Assert.Empty(r.FollowUps));
        yield return S("checkout_patron_at_loan_limit_warns", async w =>
        {
            await w.NewItemAsync("I5");
            await w.CheckoutAsync(Ws1, Monday, "P1", "I1");
            await w.CheckoutAsync(Ws1, Monday.AddMinutes(1), "P1", "I2");
            await w.CheckoutAsync(Ws1, Monday.AddMinutes(2), "P1", "I3");
            return await w.CheckoutAsync(Ws1, Monday.AddMinutes(3), "P1", "I5");
        }, ResultStatus.Warning, [ResultCodes.PatronExceedsCheckoutCount]);
        yield return S("checkout_patron_with_standing_block_warns",
            w => AfterAsync(w.NewPatronAsync("BLK", p => p.Blocks.Add(new PatronBlock { Name = "note", CreatedAt = Monday })),
                () => w.CheckoutAsync(Ws1, Monday, "BLK", "I1")),
            ResultStatus.Warning, [ResultCodes.PatronBlocked]);
        yield return S("checkout_item_with_alert_warns",
            w => AfterAsync(w.NewItemAsync("ALR", alert: "Check the CD"), () => w.CheckoutAsync(Ws1, Monday, "P1", "ALR")),
            ResultStatus.Warning, [ResultCodes.CopyAlertMessage]);
        yield return S("checkout_lost_item_warns_and_checks_it_out",
            w => AfterAsync(w.NewItemAsync("LST", status: ItemStatus.Lost), () => w.CheckoutAsync(Ws1, Monday, "P1", "LST")),
            ResultStatus.Warning, [ResultCodes.CopyStatusLost], async (w, _) => Assert.Equal(ItemStatus.CheckedOut, (await w.ItemAsync("LST")).Status));
        yield return S("checkout_missing_item_warns",
            w => AfterAsync(w.NewItemAsync("MIS", status: ItemStatus.Missing), () => w.CheckoutAsync(Ws1, Monday, "P1", "MIS")),
            ResultStatus.Warning, [ResultCodes.CopyStatusMissing]);
        yield return S("checkout_item_in_transit_closes_transit", async w =>
        {
            var item = await w.NewItemAsync("TRN", status: ItemStatus.InTransit);
            await w.AddAsync(new Transit { ItemId = item.Id, FromOrgId = w.Br2.Id, ToOrgId = w.Br1.Id, SentTime = Monday.AddDays(-3) });
            return await w.CheckoutAsync(Ws1, Monday, "P1", "TRN");
        }, ResultStatus.Warning, [ResultCodes.CopyInTransit], async (w, _) =>
        {
            await using var c = w.Context();
            Assert.Equal(Monday, (await c.Transits.SingleAsync()).ReceivedTime);
        });
        yield return S("checkout_item_held_for_another_patron_releases_hold", async w =>
        {
            await w.NewItemAsync("SHF", status: ItemStatus.OnHoldsShelf);
            await w.HoldAsync("P2", w.Br1, Monday.AddDays(-5), recordId: 100, status: HoldStatus.Captured, capturedItem: "SHF");
            return await w.CheckoutAsync(Ws1, Monday, "P1", "SHF");
        }, ResultStatus.Warning, [ResultCodes.ItemOnHoldsShelf], async (w, _) =>
        {
            await using var c = w.Context();
            var hold = await c.Holds.SingleAsync();
            Assert.Equal(HoldStatus.Pending, hold.Status);
            Assert.Null(hold.CapturedItemId);
        });
        yield return S("checkout_fulfils_patrons_own_captured_hold", async w =>
        {
            await w.HoldAsync("P1", w.Br1, Monday.AddDays(-5), recordId: 100, status: HoldStatus.Captured, capturedItem: "I1");
            return await w.CheckoutAsync(Ws1, Monday, "P1", "I1");
        }, ResultStatus.Applied, [], async (w, r) =>
        {
            await using var c = w.Context();
            var hold = await c.Holds.SingleAsync();
            Assert.Equal(HoldStatus.Fulfilled, hold.Status);
            Assert.Equal(hold.Id, r.HoldId);
        });
        yield return S("checkout_of_item_on_loan_to_another_closes_that_loan_without_fine", async w =>
        {
            await w.OpenLoanAsync("I1", "P2", T("2026-01-02T10:00:00-05:00"), T("2026-01-16T23:59:59-05:00"));
            return await w.CheckoutAsync(Ws1, Monday, "P1", "I1");
        }, ResultStatus.Warning, [ResultCodes.OpenCirculationExists], async (w, _) =>
        {
            var circs = await w.CirculationsAsync("I1");
            Assert.Equal(2, circs.Count);
            Assert.Equal(Monday, circs[0].CheckinTime);
            Assert.Null(circs[1].CheckinTime);
            await using var c = w.Context();
            Assert.Empty(await c.Billings.ToListAsync());
        });
        yield return S("checkout_of_item_already_on_loan_to_same_patron_renews", async w =>
        {
            await w.OpenLoanAsync("I1", "P1", T("2026-02-20T10:00:00-05:00"), T("2026-03-06T23:59:59-05:00"));
            return await w.CheckoutAsync(Ws1, Monday, "P1", "I1");
        }, ResultStatus.Warning, [ResultCodes.OpenCirculationExists], async (w, _) =>
        {
            var circ = Assert.Single(await w.CirculationsAsync("I1"));
            Assert.Equal(1, circ.RenewalCount);
            Assert.Equal(T("2026-03-16T23:59:59-04:00"), circ.DueTime);
        });
        yield return S("captured_due_date_on_closed_day_moves_to_next_open_day",
            w => w.CheckoutAsync(Ws1, Monday, "P1", "I1", dueDate: "2026-03-14"), ResultStatus.Warning, [ResultCodes.DueDateAdjustedClosed],
            async (w, _) => Assert.Equal(T("2026-03-16T23:59:59-04:00"), Assert.Single(await w.CirculationsAsync("I1")).DueTime));
        yield return S("captured_due_date_already_past_is_kept_and_flagged",
            w => w.CheckoutAsync(Ws1, Monday, "P1", "I1", dueDate: "2026-03-03"), ResultStatus.Warning, [ResultCodes.DueDateInPast],
            async (w, _) => Assert.Equal(T("2026-03-03T23:59:59-05:00"), Assert.Single(await w.CirculationsAsync("I1")).DueTime));
    }

    private static IEnumerable<Scenario> RenewalScenarios()
    {
        yield return S("renewal_extends_loan_from_renewal_time", async w =>
        {
            await w.OpenLoanAsync("I1", "P1", T("2026-02-20T10:00:00-05:00"), T("2026-03-06T23:59:59-05:00"));
            return await w.RenewAsync(Ws1, T("2026-03-03T11:00:00-05:00"), "I1", "P1");
        }, ResultStatus.Applied, [], async (w, r) =>
        {
            var circ = Assert.Single(await w.CirculationsAsync("I1"));
            Assert.Equal(1, circ.RenewalCount);
            Assert.Equal(T("2026-03-17T23:59:59-04:00"), circ.DueTime);
            Assert.Equal(circ.DueTime, r.DueTime);
        });
        yield return S("renewal_without_open_loan_fails", w => w.RenewAsync(Ws1, Monday, "I1"),
            ResultStatus.Failed, [ResultCodes.ActionCirculationNotFound]);
        yield return S("renewal_over_max_is_applied_and_flagged", async w =>
        {
            await w.OpenLoanAsync("I1", "P1", T("2026-02-20T10:00:00-05:00"), T("2026-03-06T23:59:59-05:00"), renewals: 1);
            return await w.RenewAsync(Ws1, Monday, "I1");
        }, ResultStatus.Warning, [ResultCodes.MaxRenewalsReached], async (w, _) => Assert.Equal(2, Assert.Single(await w.CirculationsAsync("I1")).RenewalCount));
        yield return S("renewal_with_another_patrons_card_warns", async w =>
        {
            await w.OpenLoanAsync("I1", "P1", T("2026-02-20T10:00:00-05:00"), T("2026-03-06T23:59:59-05:00"));
            return await w.RenewAsync(Ws1, Monday, "I1", "P2");
        }, ResultStatus.Warning, [ResultCodes.PatronMismatch]);
        yield return S("renewal_of_item_wanted_by_a_hold_warns", async w =>
        {
            await w.OpenLoanAsync("I1", "P1", T("2026-02-20T10:00:00-05:00"), T("2026-03-06T23:59:59-05:00"));
            await w.HoldAsync("P2", w.Br1, Monday.AddDays(-1), recordId: 100);
            return await w.RenewAsync(Ws1, Monday, "I1", "P1");
        }, ResultStatus.Warning, [ResultCodes.ItemHasHolds]);
    }
}
