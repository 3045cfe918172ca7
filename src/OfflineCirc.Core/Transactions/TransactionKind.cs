using FluentValidation;
using OfflineCirc.Core.Formats;
using OfflineCirc.Core.Replay;

namespace OfflineCirc.Core.Transactions;

/// <summary>
/// One type of captured transaction, from the uploaded line to its replay: its name, the rules a line must pass, its
/// effective time, its typed payload, what the replay must load and which ids it may need, and the replay rule itself.
/// <see cref="TransactionKinds.All"/> lists every kind; docs/transactions.md says how to add one.
/// </summary>
public abstract class TransactionKind
{
    /// <summary>The type code, as files, the database and the capture page write it.</summary>
    public abstract string Name { get; }

    /// <summary>Whether a run replays this type before everything else (registrations, so later lines can use the new patrons).</summary>
    public virtual bool ReplaysFirst => false;

    /// <summary>The rules a line of this type must pass at intake (the shared ones included).</summary>
    internal abstract IValidator<TransactionCandidate> Validator { get; }

    /// <summary>The field that gives the line's own effective time, if this type has one; else the recorded time applies.</summary>
    internal virtual DateField? EffectiveTime(TransactionCandidate line) => null;

    /// <summary>The count this type stores (in-house uses), or null.</summary>
    internal virtual int? Count(TransactionCandidate line) => null;

    /// <summary>The amount this type stores (payments), or null.</summary>
    internal virtual decimal? Amount(TransactionCandidate line) => null;

    /// <summary>Whether the line carries a typed payload that intake parses once and stores in the <c>parsed</c> column.</summary>
    public virtual bool HasParsedPayload => false;

    /// <summary>The typed payload intake stores in the <c>parsed</c> column (JSON), or null.</summary>
    internal virtual string? Parsed(TransactionCandidate line) => null;

    /// <summary>Reads the stored typed payload onto the replay's row; <paramref name="payload"/> is the line as received, for rows stored before the parse was kept.</summary>
    internal virtual void ReadParsed(TxRow tx, string? parsed, string? payload)
    {
    }

    /// <summary>What the batch loader must read for a transaction of this type.</summary>
    internal virtual void Needs(TxRow tx, BatchNeeds needs)
    {
        needs.Patron(tx.PatronBarcode);
        needs.Item(tx.ItemBarcode);
    }

    /// <summary>The most new rows of each table the replay of one transaction can create (their ids are reserved first).</summary>
    internal abstract void Reserve(TxRow tx, IdNeeds ids);

    /// <summary>The replay rule: what the transaction does to the circulation model and the result it gets.</summary>
    internal abstract Outcome Apply(TxRow tx, ReplayState s, RunContext ctx);

    public override string ToString() => Name;
}
