using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;

namespace OfflineCirc.Tests.Replay;

public static partial class ReplayScenarios
{
    private static readonly DateTimeOffset LoanStart = T("2026-02-02T10:00:00-05:00");
    /// <summary>Friday 13 February 2026, end of day in Toronto.</summary>
    private static readonly DateTimeOffset FridayDue = T("2026-02-13T23:59:59-05:00");

    private static IEnumerable<Scenario> CheckinScenarios()
    {
        yield return S("checkin_before_due_closes_loan_without_fine", async w =>
        {
            await w.OpenLoanAsync("I1", "P1", LoanStart, FridayDue);
            return await w.CheckinAsync(Ws1, Monday, "I1", backdate: T("2026-02-12T15:00:00-05:00"));
        }, ResultStatus.Applied, [], async (w, r) =>
        {
            var circ = Assert.Single(await w.CirculationsAsync("I1"));
            Assert.Equal(T("2026-02-12T15:00:00-05:00"), circ.CheckinTime);
            Assert.Equal(w.Workstations[Ws1].Id, circ.CheckinWorkstationId);
            Assert.Equal(circ.CheckinTime, r.CheckinTime);
            Assert.Null(r.BilledAmount);
            Assert.Equal(ItemStatus.Available, (await w.ItemAsync("I1")).Status);
        });
        yield return S("backdated_checkin_over_weekend_and_holiday_bills_open_days_only", async w =>
        {
            await w.AddAsync(new OrgClosing { OrgUnitId = w.Br1.Id, StartDate = new DateOnly(2026, 2, 16), EndDate = new DateOnly(2026, 2, 16), Reason = "Family Day" });
            var circ = await w.OpenLoanAsync("I1", "P1", LoanStart, FridayDue);
            // A fine billed after the effective check-in was never owed.
            await w.BillAsync("P1", 1.25m, T("2026-02-25T00:00:00-05:00"), circ.Id);
            // Sat 14 and Sun 15 closed weekly, Mon 16 a holiday: Tue 17 and Wed 18 are charged.
            return await w.CheckinAsync(Ws1, Monday, "I1", backdate: T("2026-02-18T10:00:00-05:00"));
        }, ResultStatus.Applied, [], async (w, r) =>
        {
            Assert.Equal(0.50m, r.BilledAmount);
            await using var c = w.Context();
            var bills = await c.Billings.OrderBy(b => b.Id).ToListAsync();
            Assert.True(bills[0].Voided);
            Assert.False(bills[1].Voided);
            Assert.Equal(0.50m, bills[1].Amount);
            Assert.Equal(T("2026-02-18T10:00:00-05:00"), bills[1].BilledAt);
        });
        yield return S("checkin_fine_is_capped_at_max_fine", async w =>
        {
            // 31 open days at 0.25 would be 7.75.
            await w.OpenLoanAsync("I1", "P1", T("2026-01-02T10:00:00-05:00"), T("2026-01-16T23:59:59-05:00"));
            return await w.CheckinAsync(Ws1, Monday, "I1");
        }, ResultStatus.Applied, [], (w, r) =>
        {
            Assert.Equal(3.00m, r.BilledAmount);
            return Task.CompletedTask;
        });
        yield return S("checkin_of_item_not_on_loan_is_no_change", w => w.CheckinAsync(Ws1, Monday, "I1"),
            ResultStatus.Warning, [ResultCodes.NoChange], async (w, _) => Assert.Equal(ItemStatus.Available, (await w.ItemAsync("I1")).Status));
        yield return S("checkin_unknown_item_fails", w => w.CheckinAsync(Ws1, Monday, "NOPE"),
            ResultStatus.Failed, [ResultCodes.AssetCopyNotFound]);
        yield return S("checkin_captures_hold_for_another_branch_and_sends_it", async w =>
        {
            await w.OpenLoanAsync("I1", "P1", LoanStart, T("2026-03-10T23:59:59-04:00"));
            await w.HoldAsync("P2", w.Br2, Monday.AddDays(-3), recordId: 100);
            return await w.CheckinAsync(Ws1, Monday, "I1");
        }, ResultStatus.Applied, [], async (w, r) =>
        {
            await using var c = w.Context();
            var hold = await c.Holds.SingleAsync();
            var transit = await c.Transits.SingleAsync();
            Assert.Equal(HoldStatus.Captured, hold.Status);
            Assert.Equal((await w.ItemAsync("I1")).Id, hold.CapturedItemId);
            Assert.Equal((w.Br1.Id, w.Br2.Id, hold.Id), (transit.FromOrgId, transit.ToOrgId, transit.HoldId!.Value));
            Assert.Equal(ItemStatus.InTransit, (await w.ItemAsync("I1")).Status);
            Assert.Equal([FollowUpKinds.HoldTransit], r.FollowUps);
            Assert.Equal(transit.Id, r.TransitId);
        });
        yield return S("checkin_captures_local_hold_onto_the_shelf", async w =>
        {
            await w.HoldAsync("P2", w.Br1, Monday.AddDays(-3), recordId: 100);
            await w.HoldAsync("P1", w.Br1, Monday.AddDays(-2), item: "I1");
            return await w.CheckinAsync(Ws1, Monday, "I1");
        }, ResultStatus.Warning, [ResultCodes.NoChange], async (w, r) =>
        {
            await using var c = w.Context();
            var itemHold = await c.Holds.SingleAsync(h => h.TargetItemId != null);
            Assert.Equal(HoldStatus.Captured, itemHold.Status);
            Assert.Equal(T("2026-03-09T23:59:59-04:00"), itemHold.ShelfExpiryTime);
            Assert.Equal(HoldStatus.Pending, (await c.Holds.SingleAsync(h => h.TargetItemId == null)).Status);
            Assert.Equal(ItemStatus.OnHoldsShelf, (await w.ItemAsync("I1")).Status);
            Assert.Equal([FollowUpKinds.HoldShelf], r.FollowUps);
        });
        yield return S("checkin_captures_the_oldest_of_the_records_holds", async w =>
        {
            await w.NewPatronAsync("P3");
            await w.HoldAsync("P3", w.Br1, Monday.AddDays(-1), recordId: 100);
            await w.HoldAsync("P2", w.Br2, Monday.AddDays(-4), recordId: 100);
            await w.HoldAsync("P1", w.Br1, Monday.AddDays(-2), recordId: 100);
            return await w.CheckinAsync(Ws1, Monday, "I1");
        }, ResultStatus.Warning, [ResultCodes.NoChange], async (w, r) =>
        {
            // P2's hold was placed first, so the copy goes to its pickup library although P1's and P3's are here.
            await using var c = w.Context();
            var captured = await c.Holds.SingleAsync(h => h.Status == HoldStatus.Captured);
            Assert.Equal(w.Br2.Id, captured.PickupOrgId);
            Assert.Equal(2, await c.Holds.CountAsync(h => h.Status == HoldStatus.Pending));
            Assert.Equal([FollowUpKinds.HoldTransit], r.FollowUps);
        });
        yield return S("checkin_of_item_owned_elsewhere_routes_it_home", w => w.CheckinAsync(Ws1, Monday, "I4"),
            ResultStatus.Warning, [ResultCodes.NoChange, ResultCodes.RouteItem], async (w, r) =>
            {
                await using var c = w.Context();
                var transit = await c.Transits.SingleAsync();
                Assert.Equal((w.Br1.Id, w.Br2.Id), (transit.FromOrgId, transit.ToOrgId));
                Assert.Equal(w.Workstations[Ws1].Id, transit.WorkstationId);
                Assert.Equal([FollowUpKinds.TransitHome], r.FollowUps);
            });
        yield return S("checkin_at_transit_destination_receives_it", async w =>
        {
            var item = await w.ItemAsync("I4");
            await w.AddAsync(new Transit { ItemId = item.Id, FromOrgId = w.Br1.Id, ToOrgId = w.Br2.Id, SentTime = Monday.AddDays(-2) });
            return await w.CheckinAsync(WsBr2, Monday, "I4");
        }, ResultStatus.Warning, [ResultCodes.NoChange], async (w, _) =>
        {
            await using var c = w.Context();
            Assert.Equal(Monday, (await c.Transits.SingleAsync()).ReceivedTime);
            Assert.Equal(ItemStatus.Available, (await w.ItemAsync("I4")).Status);
        });
        yield return S("checkin_of_lost_item_asks_for_refund_review", async w =>
        {
            await w.NewItemAsync("LST", status: ItemStatus.Lost);
            return await w.CheckinAsync(Ws1, Monday, "LST");
        }, ResultStatus.Warning, [ResultCodes.NoChange, ResultCodes.CopyStatusLost], (w, r) =>
        {
            Assert.Equal([FollowUpKinds.LostReturned], r.FollowUps);
            return Task.CompletedTask;
        });
        yield return S("checkin_of_missing_item_warns",
            w => AfterAsync(w.NewItemAsync("MIS", status: ItemStatus.Missing), () => w.CheckinAsync(Ws1, Monday, "MIS")),
            ResultStatus.Warning, [ResultCodes.NoChange, ResultCodes.CopyStatusMissing]);
        yield return S("checkin_of_long_overdue_item_warns",
            w => AfterAsync(w.NewItemAsync("LOD", status: ItemStatus.LongOverdue), () => w.CheckinAsync(Ws1, Monday, "LOD")),
            ResultStatus.Warning, [ResultCodes.NoChange, ResultCodes.CopyStatusLongOverdue]);
        yield return S("checkin_of_claims_returned_loan_warns_without_fine", async w =>
        {
            await w.OpenLoanAsync("I1", "P1", LoanStart, FridayDue, stopFines: "claims_returned");
            return await w.CheckinAsync(Ws1, Monday, "I1");
        }, ResultStatus.Warning, [ResultCodes.CircClaimsReturned], (w, r) =>
        {
            Assert.Null(r.BilledAmount);
            return Task.CompletedTask;
        });
        yield return S("checkin_of_item_with_alert_warns",
            w => AfterAsync(w.NewItemAsync("ALR", alert: "Fragile"), () => w.CheckinAsync(Ws1, Monday, "ALR")),
            ResultStatus.Warning, [ResultCodes.NoChange, ResultCodes.CopyAlertMessage]);
        yield return S("checkout_and_checkin_from_two_workstations_replay_in_time_order", async w =>
        {
            // The check-in's file is stored first, but its clock says it happened after the check-out.
            var checkin = await w.CheckinAsync(Ws2, Monday.AddHours(1), "I1");
            await w.CheckoutAsync(Ws1, Monday, "P1", "I1");
            return checkin;
        }, ResultStatus.Applied, [], async (w, r) =>
        {
            var circ = Assert.Single(await w.CirculationsAsync("I1"));
            Assert.Equal(w.Workstations[Ws1].Id, circ.CheckoutWorkstationId);
            Assert.Equal(w.Workstations[Ws2].Id, circ.CheckinWorkstationId);
            Assert.Equal(Monday.AddHours(1), circ.CheckinTime);
        });
    }
}
