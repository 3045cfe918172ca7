namespace OfflineCirc.Web.Infrastructure;

/// <summary>A request refused: the HTTP status and the sentence a librarian reads (an optional second sentence says more).</summary>
public sealed record Refusal(int Status, string Sentence, string? Detail = null)
{
    public RefusalException Exception() => new(this);

    /// <summary>The refusal as problem details, for endpoints that answer rather than throw.</summary>
    public IResult Result() => Results.Problem(title: Sentence, detail: Detail, statusCode: Status);
}

/// <summary>Thrown where a request cannot go on; <see cref="RefusalHandler"/> answers it as problem details or a page message.</summary>
public class RefusalException(Refusal refusal) : Exception(refusal.Sentence)
{
    public Refusal Refusal { get; } = refusal;
    public int Status => Refusal.Status;
}

/// <summary>Every refusal of the sessions, reports, look-ups, capture and sign-in, each sentence written once.</summary>
public static class Refusals
{
    // Sessions
    public static readonly Refusal SessionNotFound = new(404, "This session does not exist or is outside your libraries.");
    public static readonly Refusal SessionClosed = new(409, "This session is closed and takes no more uploads. Create a new session.");
    public static readonly Refusal SessionClosedForRuns = new(409, "This session is closed; it cannot be processed again.");
    public static readonly Refusal AlreadyProcessing = new(409, "This session is already processing. Wait for the run to finish.");
    public static readonly Refusal CloseWhileProcessing = new(409, "The session is being processed; close it when the run has finished.");
    public static readonly Refusal UploadNotAllowed = new(403, "Your account may not upload files. Staff and administrators can.");

    public static Refusal OrgNotFound(string shortName) =>
        new(404, $"There is no library with the short name '{shortName.Trim()}' among your libraries.");

    // Workstations
    public static readonly Refusal WorkstationMissing = new(400, "Say which workstation recorded this file.");

    public static Refusal WorkstationNotRegistered(string name) =>
        new(400, $"Workstation '{name.Trim()}' is not registered. Register it under Workstations first.");

    public static Refusal WorkstationOutsideSession(string name, string owner, string sessionOrg) =>
        new(400, $"Workstation '{name}' belongs to {owner}, outside this session's library {sessionOrg}.");

    public static Refusal CaptureWorkstationNotRegistered(string? name) =>
        new(400, $"Workstation '{name}' is not registered in your libraries. Register it in the capture page's Settings while online.");

    public static Refusal ReadinessWorkstationUnknown(string? name) =>
        new(404, $"Workstation '{name}' is not registered in your libraries.");

    // Uploads
    public static readonly Refusal NotMultipart = new(415, "Send the file as multipart/form-data with fields 'file' and 'workstation' (and 'delta' if the clock was off).");
    public static readonly Refusal NoBoundary = new(400, "The upload has no multipart boundary.");
    public static readonly Refusal NoFile = new(400, "The upload has no file in it. Choose a file and send it in the field 'file'.");
    public static readonly Refusal MalformedUpload = new(400, "The upload is not a well-formed multipart/form-data body: it was cut short or its parts are broken. Send the file again.");
    public static readonly Refusal NoTransactions = new(400, "There are no transactions in this upload.");

    public static Refusal TooManyTransactions(int max) => new(413, $"Send at most {max} transactions at a time.");

    public static Refusal BadDelta(string value) => new(400, $"delta must be a whole number of seconds (e.g. -300), not '{value}'.");

    public static Refusal UploadTooLarge(string limit) =>
        new(413, $"The file is larger than the {limit} this server accepts. Split it into smaller files (for example one per workstation or per day) and upload each.");

    public static Refusal UnreadableFile(string reason) => new(400, reason + " Nothing from it was stored.");

    // The capture page's data
    public static Refusal BlocklistFormatUnknown(string format) =>
        new(400, $"There is no block list format '{format}'. Ask for format=sorted, or leave format out for the older list.");

    // Results (fix, force, resolve)
    public static readonly Refusal OnlyAdministratorsChangeResults = new(403, "Only administrators can change results.");
    public static readonly Refusal SessionReadOnly = new(409, "This session is closed and read-only.");
    public static readonly Refusal TransactionNotInSession = new(404, "No such transaction in this session.");
    public static readonly Refusal ResolutionNoteMissing = new(400, "Say in a note what was checked or done.");
    public static readonly Refusal ResolutionNoteTooLong = new(400, "Keep the note under 2000 characters.");

    // Reports and look-ups
    public static Refusal BadStatusFilter(string value) => new(400, $"'{value}' is not a status (Warning, Failed, Skipped).");

    public static readonly Refusal BadResolvedFilter = new(400, "resolved must be true or false.");
    public const string NotFoundInYourLibraries = "Not found in your libraries.";

    public static Refusal PatronNotFound(string barcode) => new(404, NotFoundInYourLibraries, $"No patron with card {barcode} in your libraries.");

    public static Refusal ItemNotFound(string barcode) => new(404, NotFoundInYourLibraries, $"No item with barcode {barcode} in your libraries.");

    // Any request
    public static readonly Refusal NulCharacter = new(400, "A value holds a NUL character (\\u0000), which cannot be stored. Remove it and send the request again.");
    public static readonly Refusal UnreadableForm = new(400, "The form could not be read: it was cut short or is not well formed. Send it again from the page.");
    public static readonly Refusal UnreadableRequest = new(400, "The request could not be read. Send it again.");
    public static readonly Refusal MissingAntiforgery = new(400, "The request is missing its anti-forgery token.", "Reload the page and try again; scripts should use a personal access token.");
    public static readonly Refusal PortalBusy = new(503, "The portal is busy with many pages at once. Wait a few seconds and try again.");
    public static readonly Refusal TooManySignIns = new(429, "Too many sign-in attempts from your address. Wait a minute and try again.");

    // Accounts and tokens
    public static readonly Refusal CredentialsMissing = new(400, "Email and password are required.");
    public static readonly Refusal CredentialsWrong = new(401, "The email or password is not right.");
    public static readonly Refusal AccountLockedOut = new(401, "This account is locked after too many failed sign-ins. Try again later.");

    public static Refusal TokenNotFound(long id) => new(404, "No such token.", $"You have no access token with id {id}.");
}
