using System.Collections.Frozen;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Core.Replay;

/// <summary>A code as people read it: a short label for tables, the full sentence for tooltips and detail pages.</summary>
public sealed record Wording(string Code, string Label, string Sentence);

/// <summary>
/// The one catalogue of words the pages show for codes: transaction types, result statuses, session states, item and hold
/// statuses, result codes and follow-ups. The code stays the value of CSVs and filters; pages lead with these words.
/// </summary>
public static class Words
{
    // The native format's type codes (docs/formats.md): a contract, so spelled here as the files spell them.
    private static readonly FrozenDictionary<string, string> TypeLabels = new Dictionary<string, string>
    {
        ["checkout"] = "Check-out",
        ["renew"] = "Renewal",
        ["checkin"] = "Check-in",
        ["in_house_use"] = "In-house use",
        ["register"] = "New patron",
        ["payment"] = "Payment",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<ResultStatus, Wording> StatusWords = new Dictionary<ResultStatus, Wording>
    {
        [ResultStatus.Applied] = new("Applied", "Done", "Done, nothing to review."),
        [ResultStatus.Warning] = new("Warning", "Done with a warning", "Done, with something worth a look."),
        [ResultStatus.Failed] = new("Failed", "Not done", "Not done: it needs a correction, then a retry."),
        [ResultStatus.Skipped] = new("Skipped", "Skipped", "Deliberately not done; an administrator can force it."),
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<SessionState, Wording> StateWords = new Dictionary<SessionState, Wording>
    {
        [SessionState.Open] = new("Open", "Open", "Open: files can be uploaded; not processed yet."),
        [SessionState.Processing] = new("Processing", "Processing", "A run is processing the transactions now."),
        [SessionState.Processed] = new("Processed", "Processed", "Processed: review the exceptions, fix and retry."),
        [SessionState.Closed] = new("Closed", "Closed", "Closed: read-only, no more uploads or runs."),
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, string> CodeLabels = new Dictionary<string, string>
    {
        [ResultCodes.ActorUserNotFound] = "Unknown patron card",
        [ResultCodes.AssetCopyNotFound] = "Unknown item barcode",
        [ResultCodes.NoncatTypeNotFound] = "Unknown non-catalogued type",
        [ResultCodes.PatronCardInactive] = "Card inactive or lost",
        [ResultCodes.PatronInactive] = "Patron account inactive",
        [ResultCodes.PatronAccountExpired] = "Patron account expired",
        [ResultCodes.PatronBarred] = "Patron barred",
        [ResultCodes.PatronExceedsFines] = "Patron over the fine limit",
        [ResultCodes.PatronExceedsCheckoutCount] = "Patron at the loan limit",
        [ResultCodes.PatronBlocked] = "Patron has a standing block",
        [ResultCodes.CopyAlertMessage] = "Item has an alert",
        [ResultCodes.CopyStatusLost] = "Item was lost",
        [ResultCodes.CopyStatusMissing] = "Item was missing",
        [ResultCodes.CopyInTransit] = "Item was in transit",
        [ResultCodes.ItemOnHoldsShelf] = "Item on holds shelf for another",
        [ResultCodes.OpenCirculationExists] = "Item was already on loan",
        [ResultCodes.DueDateAdjustedClosed] = "Due date moved off a closed day",
        [ResultCodes.DueDateInPast] = "Due date already past",
        [ResultCodes.ActionCirculationNotFound] = "Not on loan, cannot renew",
        [ResultCodes.MaxRenewalsReached] = "More renewals than allowed",
        [ResultCodes.PatronMismatch] = "Not the borrower's card",
        [ResultCodes.ItemHasHolds] = "Another patron is waiting",
        [ResultCodes.NoChange] = "Item was not on loan",
        [ResultCodes.CopyStatusLongOverdue] = "Item was long overdue",
        [ResultCodes.CircClaimsReturned] = "Patron claimed it returned",
        [ResultCodes.RouteItem] = "Sent home to its library",
        [ResultCodes.PatronBarcodeExists] = "Card barcode already used",
        [ResultCodes.UsernameExists] = "Username already used",
        [ResultCodes.PossibleDuplicatePatron] = "Possible duplicate patron",
        [ResultCodes.SkipAssetChanged] = "Item changed since",
        [ResultCodes.PaymentExceedsBalance] = "Paid more than owed",
        ["BAD_CHECK_DIGIT"] = "Barcode check digit wrong",
    }.ToFrozenDictionary();

    // Warnings only the capture page raises; they reach the server as overrides, never as replay results.
    private static readonly FrozenDictionary<string, string> DeskOnly = new Dictionary<string, string>
    {
        ["BAD_CHECK_DIGIT"] = "The barcode's check digit did not match.",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, string> FollowUpLabels = new Dictionary<string, string>
    {
        [FollowUpKinds.HoldShelf] = "Put on the holds shelf",
        [FollowUpKinds.HoldTransit] = "Send to the hold's library",
        [FollowUpKinds.TransitHome] = "Send home",
        [FollowUpKinds.LostReturned] = "Lost item returned",
        [FollowUpKinds.PossibleDuplicatePatron] = "Check for a duplicate patron",
        [FollowUpKinds.BlockedPatronLoan] = "Loan to a blocked patron",
    }.ToFrozenDictionary();

    public static string Type(string code) => TypeLabels.TryGetValue(code, out var label) ? label : code;

    public static Wording Status(ResultStatus status) => StatusWords[status];

    public static Wording State(SessionState state) => StateWords[state];

    /// <summary>A result code: short label for tables, the catalogue's sentence (<see cref="ResultCodes.Describe"/>) for detail.</summary>
    public static Wording Code(string code) =>
        new(code, CodeLabels.TryGetValue(code, out var label) ? label : code,
            DeskOnly.TryGetValue(code, out var sentence) ? sentence : ResultCodes.Describe(code));

    public static Wording FollowUp(string kind) =>
        new(kind, FollowUpLabels.TryGetValue(kind, out var label) ? label : kind, FollowUpKinds.Describe(kind));

    /// <summary>An item or hold status as staff say it: "checked_out" becomes "Checked out".</summary>
    public static string Snake(string snake) =>
        snake.Length == 0 ? snake : char.ToUpperInvariant(snake[0]) + snake[1..].Replace('_', ' ');
}
