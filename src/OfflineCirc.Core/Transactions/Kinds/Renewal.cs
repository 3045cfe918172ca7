using FluentValidation;
using OfflineCirc.Core.Formats;
using OfflineCirc.Core.Replay;
using OfflineCirc.Core.Replay.Rules;

namespace OfflineCirc.Core.Transactions.Kinds;

/// <summary>Renewal (docs/replay-rules.md).</summary>
public sealed class Renewal : TransactionKind
{
    public const string Code = "renew";

    public override string Name => Code;

    internal override IValidator<TransactionCandidate> Validator { get; } = new LineRules();

    internal override DateField? EffectiveTime(TransactionCandidate line) => line.CheckoutTime;

    internal override void Reserve(TxRow tx, IdNeeds ids)
    {
        // A renewal changes its loan; it creates nothing.
    }

    private sealed class LineRules : LoanRules
    {
        public LineRules()
            : base(Code)
        {
            RuleFor(c => c.NoncatType).Null().WithMessage("renew of a non-catalogued item (renew needs a barcode)");
        }
    }

    internal override Outcome Apply(TxRow tx, ReplayState s, RunContext ctx)
    {
        var o = new Outcome();
        var (orgId, _) = ctx.Place(tx);
        var item = s.Item(tx.ItemBarcode);
        if (item is null)
        {
            return o.Fail($"No item has barcode '{tx.ItemBarcode}'.", ResultCodes.AssetCopyNotFound);
        }
        o.ItemId = item.Id;
        if (NewerActivity.Skips(tx, item, orgId, ctx))
        {
            return o.Skip(NewerActivity.Message(item), ResultCodes.SkipAssetChanged);
        }
        var circ = s.OpenCirculationByItem.GetValueOrDefault(item.Id);
        if (circ is null)
        {
            return o.Fail($"Item '{item.Barcode}' is not checked out, so it cannot be renewed.", ResultCodes.ActionCirculationNotFound);
        }
        if (!string.IsNullOrWhiteSpace(tx.PatronBarcode))
        {
            var (patron, _) = s.FindPatron(tx.PatronBarcode, ctx.Org(orgId)?.AllowUsernameLookup ?? false);
            if (patron?.Id != circ.PatronId)
            {
                o.Warn(ResultCodes.PatronMismatch);
            }
        }
        if (Holds.NextPending(s, item, exceptPatronId: circ.PatronId) is not null)
        {
            o.Warn(ResultCodes.ItemHasHolds);
        }
        Loans.Renew(circ, item, tx, tx.EffectiveAt, ctx, s, o);
        return o.Done($"Renewed (renewal {circ.RenewalCount}), due {ctx.LocalText(circ.CheckoutOrgId, circ.DueTime)}.");
    }
}
