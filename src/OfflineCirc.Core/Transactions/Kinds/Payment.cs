using FluentValidation;
using OfflineCirc.Core.Formats;
using OfflineCirc.Core.Replay;
using OfflineCirc.Core.Replay.Rules;

namespace OfflineCirc.Core.Transactions.Kinds;

/// <summary>Payment from a Koha file (docs/replay-rules.md): oldest open billings first; any excess stays as credit.</summary>
public sealed class Payment : TransactionKind
{
    public const string Code = "payment";

    public override string Name => Code;

    internal override IValidator<TransactionCandidate> Validator { get; } = new LineRules();

    internal override decimal? Amount(TransactionCandidate line) => line.Amount.Value;

    internal override void Needs(TxRow tx, BatchNeeds needs)
    {
        base.Needs(tx, needs);
        needs.Billings(tx.PatronBarcode);
    }

    internal override void Reserve(TxRow tx, IdNeeds ids) => ids.Add(IdTables.Payments);

    private sealed class LineRules : AbstractValidator<TransactionCandidate>
    {
        public LineRules()
        {
            Include(new CommonTransactionRules());
            RuleFor(c => c.PatronBarcode).NotNull().WithMessage("payment without patron_barcode");
            RuleFor(c => c.Amount).Must(a => a.Given).WithMessage("payment without amount");
            RuleFor(c => c.Amount).Must(a => a.Value is not null)
                .When(c => c.Amount.Given).WithMessage("payment amount is not a number");
            RuleFor(c => c.Amount).Must(a => a.Value > 0)
                .When(c => c.Amount.Value is not null).WithMessage("payment amount must be more than 0");
            RuleFor(c => c.Amount).Must(a => a.Value <= 1_000_000m)
                .When(c => c.Amount.Value is not null).WithMessage("payment amount is too large");
            RuleFor(c => c.Amount).Must(a => a.Value == decimal.Round(a.Value!.Value, 2))
                .When(c => c.Amount.Value is not null).WithMessage("payment amount has more than 2 decimals");
        }
    }

    internal override Outcome Apply(TxRow tx, ReplayState s, RunContext ctx)
    {
        var o = new Outcome();
        var (orgId, workstationId) = ctx.Place(tx);
        var (patron, _) = s.FindPatron(tx.PatronBarcode, allowUsername: false);
        if (patron is null)
        {
            return o.Fail($"No patron has card '{tx.PatronBarcode}'.", ResultCodes.ActorUserNotFound);
        }
        o.PatronId = patron.Id;
        var amount = Math.Round(tx.Amount ?? 0m, 2);
        if (amount <= 0m)
        {
            return o.Fail("A payment needs an amount above zero.");
        }
        if (amount > patron.Balance)
        {
            o.Warn(ResultCodes.PaymentExceedsBalance);
        }
        var left = amount;
        foreach (var bill in patron.OpenBillings ?? [])
        {
            if (left <= 0m)
            {
                break;
            }
            var paid = Math.Min(left, bill.Amount - bill.AmountPaid);
            if (paid <= 0m)
            {
                continue;
            }
            bill.AmountPaid += paid;
            left -= paid;
            if (!bill.IsNew && !bill.Dirty)
            {
                s.Billings.Add(bill);
            }
            bill.Dirty = true;
        }
        patron.OpenBillings?.RemoveAll(b => b.AmountPaid >= b.Amount);
        patron.Balance -= amount;
        s.Payments.Add(new NewPayment(
            s.Ids.Next(IdTables.Payments), patron.Id, amount, tx.EffectiveAt, orgId, workstationId, ctx.SessionId, tx.Id));
        return o.Done(left > 0m ? $"Payment of {amount:0.00} recorded; {left:0.00} kept as credit." : $"Payment of {amount:0.00} recorded.");
    }
}
