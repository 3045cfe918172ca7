using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;

namespace OfflineCirc.Tests.Replay;

public static partial class ReplayScenarios
{
    private static object NewUser(string card, string family = "Newman", string given = "Nora", string? username = null, string? email = null) => new
    {
        card,
        family_name = family,
        first_given_name = given,
        profile = "Adult",
        home_ou = "BR1",
        dob = "1990-05-06",
        email = email ?? card.ToLowerInvariant() + "@new.example.org",
        usrname = username,
        street1 = "1 Main St",
        city = "Toronto",
    };

    private static IEnumerable<Scenario> OtherScenarios()
    {
        yield return S("in_house_use_is_counted_at_recording_desk", w => w.InHouseAsync(Ws2, Monday, "I1", 5),
            ResultStatus.Applied, [], async (w, r) =>
            {
                await using var c = w.Context();
                var use = await c.InHouseUses.SingleAsync();
                Assert.Equal((5, w.Br1.Id, w.Workstations[Ws2].Id, Monday), (use.Count, use.OrgId, use.WorkstationId!.Value, use.UseTime));
            });
        yield return S("in_house_use_of_unknown_item_fails", w => w.InHouseAsync(Ws1, Monday, "NOPE", 1),
            ResultStatus.Failed, [ResultCodes.AssetCopyNotFound]);
        yield return S("registration_creates_blocked_patron_expiring_after_profile_interval",
            w => w.RegisterAsync(Ws1, Monday, NewUser("NEW1", username: "nora")), ResultStatus.Applied, [], async (w, r) =>
            {
                await using var c = w.Context();
                var p = await c.Patrons.Include(x => x.Cards).Include(x => x.Blocks).SingleAsync(x => x.Username == "nora");
                Assert.Equal(new DateOnly(2027, 3, 2), p.ExpireDate);
                Assert.Equal("NEW1", Assert.Single(p.Cards).Barcode);
                Assert.Equal("verify patron information", Assert.Single(p.Blocks).Name);
                Assert.Equal(w.Br1.Id, p.HomeOrgId);
                Assert.Equal(w.Session.Id, p.OriginSessionId);
                Assert.Equal(p.Id, r.PatronId);
            });
        yield return S("registration_with_taken_card_fails", w => w.RegisterAsync(Ws1, Monday, NewUser("P1")),
            ResultStatus.Failed, [ResultCodes.PatronBarcodeExists]);
        yield return S("registration_with_taken_username_fails",
            w => AfterAsync(w.NewPatronAsync("U1", p => p.Username = "taken"), () => w.RegisterAsync(Ws1, Monday, NewUser("NEW2", username: "taken"))),
            ResultStatus.Failed, [ResultCodes.UsernameExists]);
        yield return S("registration_like_existing_patron_is_applied_for_review",
            w => w.RegisterAsync(Ws1, Monday, NewUser("NEW3", email: "P1@example.org")), ResultStatus.Warning, [ResultCodes.PossibleDuplicatePatron],
            async (w, r) =>
            {
                Assert.Equal([FollowUpKinds.PossibleDuplicatePatron], r.FollowUps);
                await using var c = w.Context();
                Assert.True(await c.Cards.AnyAsync(x => x.Barcode == "NEW3"));
            });
        yield return S("registrations_replay_first_so_new_cards_can_borrow", async w =>
        {
            var checkout = await w.CheckoutAsync(Ws1, Monday, "NEW4", "I1");
            await w.RegisterAsync(Ws1, Monday.AddHours(1), NewUser("NEW4"));
            return checkout;
        }, ResultStatus.Warning, [ResultCodes.PatronBlocked], async (w, r) => Assert.Single(await w.CirculationsAsync("I1")));
        yield return S("payment_settles_oldest_billings_first", async w =>
        {
            await w.BillAsync("P1", 2m, Monday.AddDays(-20));
            await w.BillAsync("P1", 3m, Monday.AddDays(-10));
            return await w.PaymentAsync(Ws1, Monday, "P1", 2.50m);
        }, ResultStatus.Applied, [], async (w, _) =>
        {
            await using var c = w.Context();
            var bills = await c.Billings.OrderBy(b => b.BilledAt).Select(b => b.AmountPaid).ToListAsync();
            Assert.Equal([2.00m, 0.50m], bills);
            Assert.Equal(2.50m, (await c.Payments.SingleAsync()).Amount);
        });
        yield return S("payment_above_balance_keeps_credit",
            w => AfterAsync(w.BillAsync("P1", 2m, Monday.AddDays(-20)), () => w.PaymentAsync(Ws1, Monday, "P1", 10m)),
            ResultStatus.Warning, [ResultCodes.PaymentExceedsBalance], async (w, _) =>
            {
                await using var c = w.Context();
                Assert.Equal(2m, (await c.Billings.SingleAsync()).AmountPaid);
                Assert.Equal(10m, (await c.Payments.SingleAsync()).Amount);
            });
        yield return S("payment_by_unknown_patron_fails", w => w.PaymentAsync(Ws1, Monday, "NOPE", 1m),
            ResultStatus.Failed, [ResultCodes.ActorUserNotFound]);
        yield return S("item_changed_by_import_after_capture_is_skipped_with_its_later_transactions", async w =>
        {
            await w.NewItemAsync("CHG", status: ItemStatus.Missing, changedAt: Monday.AddHours(3));
            await w.CheckoutAsync(Ws1, Monday, "P1", "CHG");
            return await w.CheckinAsync(Ws1, Monday.AddHours(5), "CHG");
        }, ResultStatus.Skipped, [ResultCodes.SkipAssetChanged], async (w, _) =>
        {
            Assert.Empty(await w.CirculationsAsync("CHG"));
            Assert.Equal(ItemStatus.Missing, (await w.ItemAsync("CHG")).Status);
        });
        yield return S("item_changed_by_another_session_after_capture_is_skipped", async w =>
        {
            var other = await w.AddAsync(new OfflineSession { OrgUnitId = w.Br2.Id, Description = "Other", CreatedBy = "x", CreatedAt = Monday });
            await w.NewItemAsync("CHG", status: ItemStatus.CheckedOut, changedAt: Monday.AddHours(3), changedBySession: other.Id);
            return await w.CheckinAsync(Ws1, Monday, "CHG");
        }, ResultStatus.Skipped, [ResultCodes.SkipAssetChanged]);
        yield return S("skip_rule_off_for_the_org_applies_the_transaction", async w =>
        {
            await using (var c = w.Context())
            {
                await c.OrgUnits.Where(o => o.Id == w.Br1.Id).ExecuteUpdateAsync(u => u.SetProperty(o => o.SkipOnNewerActivity, false));
            }
            await w.NewItemAsync("CHG", changedAt: Monday.AddHours(3));
            return await w.CheckoutAsync(Ws1, Monday, "P1", "CHG");
        }, ResultStatus.Applied, [], async (w, _) => Assert.Single(await w.CirculationsAsync("CHG")));
    }
}
