using FluentValidation;
using OfflineCirc.Core.Formats;
using OfflineCirc.Core.Replay;
using OfflineCirc.Core.Replay.Rules;

namespace OfflineCirc.Core.Transactions.Kinds;

/// <summary>In-house use (docs/replay-rules.md): counted against the item, attributed to the recording desk.</summary>
public sealed class InHouseUse : TransactionKind
{
    public const string Code = "in_house_use";

    public override string Name => Code;

    internal override IValidator<TransactionCandidate> Validator { get; } = new LineRules();

    internal override DateField? EffectiveTime(TransactionCandidate line) => line.UseTime;

    internal override int? Count(TransactionCandidate line) => (int)(line.Count.Value ?? 1);

    internal override void Reserve(TxRow tx, IdNeeds ids) => ids.Add(IdTables.InHouseUses);

    private sealed class LineRules : AbstractValidator<TransactionCandidate>
    {
        public LineRules()
        {
            Include(new CommonTransactionRules());
            RuleFor(c => c.ItemBarcode).NotNull().WithMessage("in_house_use without barcode");
            RuleFor(c => c.Count).Must(n => n.IsWholeNumber && n.Value is >= 1 and <= 100)
                .When(c => c.Count.Given).WithMessage("count must be 1-100");
            RuleFor(c => c.UseTime).Must(t => t.Value is not null)
                .When(c => c.UseTime.Given).WithMessage("use_time is not a date");
        }
    }

    internal override Outcome Apply(TxRow tx, ReplayState s, RunContext ctx)
    {
        var o = new Outcome();
        var (orgId, workstationId) = ctx.Place(tx);
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
        var count = Math.Clamp(tx.Count ?? 1, 1, 100);
        s.InHouseUses.Add(new NewInHouseUse(
            s.Ids.Next(IdTables.InHouseUses), item.Id, count, tx.EffectiveAt, orgId, workstationId, ctx.SessionId, tx.Id));
        return o.Done($"In-house use x{count} recorded.");
    }
}
