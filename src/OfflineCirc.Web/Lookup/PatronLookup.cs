using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Lookup;

public sealed record CardView(string Barcode, bool Active, bool Primary);

public sealed record BlockView(string Name, DateTimeOffset CreatedAt);

/// <summary>An open loan; <paramref name="ItemInReach"/> is false for an item of a library outside the reader's, which gets no link.</summary>
public sealed record LoanView(string ItemBarcode, string Title, DateTimeOffset CheckoutTime, DateTimeOffset DueTime, int Renewals, bool Overdue, bool ItemInReach = true);

public sealed record PatronHoldView(long Id, string Status, string? ItemBarcode, string? Title, string PickupOrg, DateTimeOffset RequestTime, bool Frozen, DateTimeOffset? ShelfExpiryTime, bool ItemInReach = true);

public sealed record BillView(long Id, string Type, decimal Amount, decimal AmountPaid, DateTimeOffset BilledAt, bool Voided);

public sealed record PaymentView(long Id, decimal Amount, DateTimeOffset PaidAt);

public sealed record PatronView(
    long Id,
    string FamilyName,
    string FirstGivenName,
    string? Username,
    string HomeOrg,
    string HomeOrgName,
    string HomeOrgTimeZone,
    string Profile,
    bool Active,
    bool Barred,
    DateOnly? ExpireDate,
    bool Expired,
    IReadOnlyList<CardView> Cards,
    IReadOnlyList<BlockView> Blocks,
    IReadOnlyList<LoanView> Loans,
    IReadOnlyList<PatronHoldView> Holds,
    IReadOnlyList<BillView> Bills,
    IReadOnlyList<PaymentView> Payments,
    decimal Balance);

/// <summary>A patron found by any of their card barcodes, only when their home library is in the reader's subtree.</summary>
public class PatronLookup(CircDbContext db, UserScope scope)
{
    public async Task<PatronView?> FindAsync(string? barcode, CancellationToken ct = default)
    {
        var path = await scope.SubtreePathAsync(ct);
        var code = barcode?.Trim();
        if (path is null || string.IsNullOrEmpty(code))
        {
            return null;
        }
        var patron = await db.Patrons.AsNoTracking().AsSplitQuery()
            .Include(p => p.HomeOrg).Include(p => p.Profile).Include(p => p.Cards).Include(p => p.Blocks)
            .Where(p => p.Cards.Any(c => c.Barcode == code) && p.HomeOrg!.Path.StartsWith(path))
            .SingleOrDefaultAsync(ct);
        if (patron is null)
        {
            return null;
        }
        var now = DateTimeOffset.UtcNow;
        var loans = await db.Circulations.AsNoTracking()
            .Where(c => c.PatronId == patron.Id && c.CheckinTime == null)
            .OrderBy(c => c.DueTime)
            .Select(c => new LoanView(c.Item!.Barcode, c.Item.Record!.Title, c.CheckoutTime, c.DueTime, c.RenewalCount, c.DueTime < now, c.Item.OwningOrg!.Path.StartsWith(path)))
            .ToListAsync(ct);
        var holds = await HoldsAsync(patron.Id, path, ct);
        var bills = await db.Billings.AsNoTracking()
            .Where(b => b.PatronId == patron.Id)
            .OrderBy(b => b.BilledAt).ThenBy(b => b.Id)
            .Select(b => new BillView(b.Id, b.BillingType, b.Amount, b.AmountPaid, b.BilledAt, b.Voided))
            .ToListAsync(ct);
        var payments = await db.Payments.AsNoTracking()
            .Where(p => p.PatronId == patron.Id)
            .OrderBy(p => p.PaidAt).ThenBy(p => p.Id)
            .Select(p => new PaymentView(p.Id, p.Amount, p.PaidAt))
            .ToListAsync(ct);
        var balance = bills.Where(b => !b.Voided).Sum(b => b.Amount) - payments.Sum(p => p.Amount);
        var zone = TimeDisplay.Zone(patron.HomeOrg!.TimeZone);
        var today = DateOnly.FromDateTime(NodaTime.Instant.FromDateTimeOffset(now).InZone(zone).Date.ToDateTimeUnspecified());
        return new PatronView(
            patron.Id,
            patron.FamilyName,
            patron.FirstGivenName,
            patron.Username,
            patron.HomeOrg.ShortName,
            patron.HomeOrg.Name,
            patron.HomeOrg.TimeZone,
            patron.Profile?.Name ?? "",
            patron.Active,
            patron.Barred,
            patron.ExpireDate,
            patron.ExpireDate is { } expiry && expiry < today,
            patron.Cards.OrderByDescending(c => c.Primary).ThenBy(c => c.Barcode, StringComparer.Ordinal).Select(c => new CardView(c.Barcode, c.Active, c.Primary)).ToList(),
            patron.Blocks.OrderBy(b => b.CreatedAt).Select(b => new BlockView(b.Name, b.CreatedAt)).ToList(),
            loans,
            holds,
            bills,
            payments,
            balance);
    }

    private async Task<List<PatronHoldView>> HoldsAsync(long patronId, string path, CancellationToken ct)
    {
        var holds = await db.Holds.AsNoTracking()
            .Where(h => h.PatronId == patronId && (h.Status == HoldStatus.Pending || h.Status == HoldStatus.Captured))
            .OrderBy(h => h.RequestTime)
            .ToListAsync(ct);
        if (holds.Count == 0)
        {
            return [];
        }
        var itemIds = holds.SelectMany(h => new[] { h.TargetItemId, h.CapturedItemId }).OfType<long>().Distinct().ToList();
        var items = await db.Items.AsNoTracking().Where(i => itemIds.Contains(i.Id))
            .Select(i => new { i.Id, i.Barcode, i.RecordId, i.Record!.Title, InReach = i.OwningOrg!.Path.StartsWith(path) })
            .ToDictionaryAsync(i => i.Id, ct);
        var recordIds = holds.Select(h => h.TargetRecordId).OfType<long>().Distinct().ToList();
        var records = await db.Records.AsNoTracking().Where(r => recordIds.Contains(r.Id))
            .ToDictionaryAsync(r => r.Id, r => r.Title, ct);
        var orgIds = holds.Select(h => h.PickupOrgId).Distinct().ToList();
        var orgs = await db.OrgUnits.AsNoTracking().Where(o => orgIds.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, o => o.ShortName, ct);
        return holds.Select(h =>
        {
            var item = h.CapturedItemId is { } captured && items.TryGetValue(captured, out var c) ? c
                : h.TargetItemId is { } target && items.TryGetValue(target, out var t) ? t
                : null;
            var title = item?.Title ?? (h.TargetRecordId is { } rid && records.TryGetValue(rid, out var rt) ? rt : null);
            return new PatronHoldView(h.Id, SnakeCaseEnum.ToSnake(h.Status), item?.Barcode, title,
                orgs.GetValueOrDefault(h.PickupOrgId, ""), h.RequestTime, h.Frozen, h.ShelfExpiryTime, item?.InReach ?? true);
        }).ToList();
    }
}
