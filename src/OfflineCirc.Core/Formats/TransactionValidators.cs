using FluentValidation;
using OfflineCirc.Core.Transactions;
using OfflineCirc.Core.Transactions.Kinds;

namespace OfflineCirc.Core.Formats;

/// <summary>Rules every transaction type shares: identity, timestamp and clock correction.</summary>
public sealed class CommonTransactionRules : AbstractValidator<TransactionCandidate>
{
    /// <summary>Clock corrections beyond a year are mistakes, not clock drift.</summary>
    public const int MaxDeltaSeconds = 366 * 24 * 3600;

    public CommonTransactionRules()
    {
        RuleFor(c => c.Id).Must(id => Guid.TryParseExact(id, "D", out _))
            .When(c => c.Id is not null).WithMessage("invalid id (not a UUID)");
        RuleFor(c => c.Timestamp).Must(t => t.Given).WithMessage("missing timestamp");
        RuleFor(c => c.Timestamp).Must(t => t.Value is not null)
            .When(c => c.Timestamp.Given).WithMessage("timestamp is not a date");
        RuleFor(c => c.Delta).Must(d => d.Value is not null)
            .When(c => c.Delta.Given).WithMessage("delta is not a number of seconds");
        RuleFor(c => c.Delta).Must(d => Math.Abs(d.Value!.Value) <= MaxDeltaSeconds)
            .When(c => c.Delta.Value is not null).WithMessage("delta is more than a year");
    }
}

/// <summary>Shared rules for the loan types (checkout, renew): captured due date and loan start.</summary>
public abstract class LoanRules : AbstractValidator<TransactionCandidate>
{
    protected LoanRules(string type)
    {
        Include(new CommonTransactionRules());
        RuleFor(c => c.CheckoutTime).Must(t => t.Value is not null)
            .When(c => c.CheckoutTime.Given).WithMessage("checkout_time is not a date");
        RuleFor(c => c.DueDateText).Must((c, _) => c.DueDate is not null)
            .When(c => c.DueDateText is not null).WithMessage("due_date is not a date");
        RuleFor(c => c.DueEnd).Must((c, due) => due >= (c.CheckoutTime.Value ?? c.Timestamp.Value))
            .When(c => c.DueEnd is not null && (c.CheckoutTime.Value ?? c.Timestamp.Value) is not null)
            .WithMessage(c => c.CheckoutTime.Value is not null
                ? "due_date before checkout_time"
                : "due_date before timestamp");
        RuleFor(c => c.ItemBarcode).NotNull()
            .When(c => !c.IsNoncat).WithMessage(type == Checkout.Code
                ? "checkout without barcode or noncat_type"
                : $"{type} without barcode");
    }
}

/// <summary>Picks the validator of a candidate's kind and gathers every reason it is refused.</summary>
public static class TransactionValidators
{
    private static readonly CommonTransactionRules Common = new();

    /// <summary>Every reason the candidate cannot be stored, in a stable order; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(TransactionCandidate candidate)
    {
        var reasons = new List<string>(candidate.Problems);
        IValidator<TransactionCandidate> validator;
        if (candidate.Type is null)
        {
            reasons.Insert(0, "missing type");
            validator = Common;
        }
        else if (TransactionKinds.Find(candidate.Type) is { } kind)
        {
            validator = kind.Validator;
        }
        else
        {
            reasons.Insert(0, $"unknown type '{Reasons.Clip(candidate.Type)}'");
            validator = Common;
        }
        foreach (var failure in validator.Validate(candidate).Errors)
        {
            if (!reasons.Contains(failure.ErrorMessage))
            {
                reasons.Add(failure.ErrorMessage);
            }
        }
        return reasons;
    }
}
