namespace OfflineCirc.Tests.Security;

/// <summary>
/// What each caller gets from each endpoint, keyed by the method and route pattern the app lists (page handlers as
/// "?handler=Name"). Callers, in column order: anonymous, Staff of BR1, Auditor of BR1, Administrator of BR1,
/// Administrator of SYS2 (another system), Consortium Administrator. Urls ask about BR1's data: {session}, {user},
/// {token} (BR1's administrator's), {patron}, {item} and {workstation} are filled in by the test.
/// Ok = allowed (any answer below 500 that is not a refusal: 200, 201, 204, 400 for an empty form...), Login = 401 or
/// sent to sign in, Denied = 403 or sent to access denied, NotFound = 404 (outside the caller's libraries), ServerError =
/// 500 and above, expected only of the error page itself.
/// </summary>
public static class AuthorizationMatrix
{
    public enum Outcome { Ok, Login, Denied, NotFound, ServerError }

    /// <summary>Body marker: a multipart upload of one line from {workstation}.</summary>
    public const string MultipartFile = "multipart";

    /// <param name="Body">JSON to send (with the same placeholders), or <see cref="MultipartFile"/>; null sends an empty one.</param>
    public sealed record Row(string Url, Outcome Anonymous, Outcome Staff, Outcome Auditor, Outcome Admin, Outcome OtherAdmin, Outcome Consortium, string? Body = null)
    {
        public Outcome[] Expected => [Anonymous, Staff, Auditor, Admin, OtherAdmin, Consortium];
    }

    private const Outcome O = Outcome.Ok, L = Outcome.Login, D = Outcome.Denied, N = Outcome.NotFound, E = Outcome.ServerError;

    public static readonly IReadOnlyDictionary<string, Row> Rows = new Dictionary<string, Row>(StringComparer.Ordinal)
    {
        // API: people and tokens
        ["POST /api/auth/token"] = new("/api/auth/token", O, O, O, O, O, O),
        ["GET /api/auth/tokens"] = new("/api/auth/tokens", L, O, O, O, O, O),
        ["DELETE /api/auth/tokens/{id:long}"] = new("/api/auth/tokens/{token}", L, N, N, O, N, N),
        ["GET /api/antiforgery"] = new("/api/antiforgery", L, O, O, O, O, O),
        ["GET /api/workstations"] = new("/api/workstations", L, O, O, O, O, O),
        ["GET /api/workstations/{name}"] = new("/api/workstations/{workstation}", L, O, O, O, N, O),
        ["POST /api/workstations"] = new("/api/workstations", L, O, D, O, O, O),
        ["GET /api/patrons/{barcode}"] = new("/api/patrons/{patron}", L, O, O, O, N, O),
        ["GET /api/items/{barcode}"] = new("/api/items/{item}", L, O, O, O, N, O),
        ["POST /api/import/{kind}"] = new("/api/import/workstations", L, D, D, O, O, O),

        // API: sessions, uploads, runs and reports
        ["POST /api/sessions"] = new("/api/sessions", L, D, D, O, O, O),
        ["GET /api/sessions"] = new("/api/sessions", L, O, O, O, O, O),
        ["GET /api/sessions/{id:long}"] = new("/api/sessions/{session}", L, O, O, O, N, O),
        ["POST /api/sessions/{id:long}/files"] = new("/api/sessions/{session}/files", L, O, D, O, N, O, MultipartFile),
        ["POST /api/sessions/{id:long}/close"] = new("/api/sessions/{session}/close", L, D, D, O, N, O),
        ["POST /api/sessions/{id:long}/process"] = new("/api/sessions/{session}/process", L, D, D, O, N, O),
        ["POST /api/sessions/{id:long}/retry"] = new("/api/sessions/{session}/retry", L, D, D, O, N, O),
        ["GET /api/sessions/{id:long}/rejected-lines.csv"] = new("/api/sessions/{session}/rejected-lines.csv", L, O, O, O, N, O),
        ["GET /api/sessions/{id:long}/exceptions.csv"] = new("/api/sessions/{session}/exceptions.csv", L, O, O, O, N, O),
        ["GET /api/sessions/{id:long}/results.csv"] = new("/api/sessions/{session}/results.csv", L, O, O, O, N, O),
        ["GET /api/sessions/{id:long}/followups.csv"] = new("/api/sessions/{session}/followups.csv", L, O, O, O, N, O),

        // API: the capture page
        ["GET /api/offline/bootstrap"] = new("/api/offline/bootstrap", L, O, D, O, O, O),
        ["GET /api/offline/blocklist"] = new("/api/offline/blocklist", L, O, D, O, O, O),
        ["POST /api/offline/transactions"] = new("/api/offline/transactions", L, O, D, O, O, O),
        ["POST /api/offline/readiness"] = new("/api/offline/readiness", L, O, D, O, N, O, """{"workstation":"{workstation}"}"""),

        // Probes and the job dashboard (Consortium Administrators only)
        ["GET /healthz"] = new("/healthz", O, O, O, O, O, O),
        ["GET /healthz/live"] = new("/healthz/live", O, O, O, O, O, O),
        ["GET /healthz/ready"] = new("/healthz/ready", O, O, O, O, O, O),
        // The capture page's service worker, versioned by the page's files: public like the page itself.
        ["GET /offline/sw.js"] = new("/offline/sw.js", O, O, O, O, O, O),
        ["GET /hangfire"] = new("/hangfire", L, D, D, D, D, O),

        // Pages: account
        ["GET /"] = new("/", L, O, O, O, O, O),
        ["GET /Error/{code:int?}"] = new("/Error", E, E, E, E, E, E),
        ["POST /Error/{code:int?}"] = new("/Error", E, E, E, E, E, E),
        ["GET /Account/Login"] = new("/Account/Login", O, O, O, O, O, O),
        ["POST /Account/Login"] = new("/Account/Login", O, O, O, O, O, O),
        // The access-denied page itself answers 403, to anyone.
        ["GET /Account/AccessDenied"] = new("/Account/AccessDenied", D, D, D, D, D, D),
        ["GET /Account/Logout"] = new("/Account/Logout", L, O, O, O, O, O),
        ["POST /Account/Logout"] = new("/Account/Logout", L, O, O, O, O, O),
        ["GET /Account/Tokens"] = new("/Account/Tokens", L, O, O, O, O, O),
        ["POST /Account/Tokens?handler=Create"] = new("/Account/Tokens?handler=Create", L, O, O, O, O, O),
        ["POST /Account/Tokens?handler=Revoke"] = new("/Account/Tokens?handler=Revoke", L, O, O, O, O, O),

        // Pages: administration
        ["GET /Admin/Import"] = new("/Admin/Import", L, D, D, O, O, O),
        ["POST /Admin/Import"] = new("/Admin/Import", L, D, D, O, O, O),
        ["GET /Admin/Users"] = new("/Admin/Users", L, D, D, O, O, O),
        ["GET /Admin/Users/Create"] = new("/Admin/Users/Create", L, D, D, O, O, O),
        ["POST /Admin/Users/Create"] = new("/Admin/Users/Create", L, D, D, O, O, O),
        ["GET /Admin/Users/Edit/{id?}"] = new("/Admin/Users/Edit/{user}", L, D, D, O, N, O),
        ["POST /Admin/Users/Edit/{id?}"] = new("/Admin/Users/Edit/{user}", L, D, D, O, N, O),
        ["POST /Admin/Users/Edit/{id?}?handler=Lock"] = new("/Admin/Users/Edit/{user}?handler=Lock", L, D, D, O, N, O),
        ["POST /Admin/Users/Edit/{id?}?handler=Unlock"] = new("/Admin/Users/Edit/{user}?handler=Unlock", L, D, D, O, N, O),
        ["POST /Admin/Users/Edit/{id?}?handler=Password"] = new("/Admin/Users/Edit/{user}?handler=Password", L, D, D, O, N, O),
        ["GET /Admin/Workstations"] = new("/Admin/Workstations", L, D, D, O, O, O),
        ["POST /Admin/Workstations"] = new("/Admin/Workstations", L, D, D, O, O, O),

        // Pages: lookup and reports
        ["GET /Lookup"] = new("/Lookup", L, O, O, O, O, O),
        ["GET /Lookup/Item"] = new("/Lookup/Item?barcode={item}", L, O, O, O, N, O),
        ["GET /Lookup/Patron"] = new("/Lookup/Patron?barcode={patron}", L, O, O, O, N, O),
        ["GET /Reports/Audit"] = new("/Reports/Audit", L, D, O, O, O, O),
        ["GET /Reports/Overview"] = new("/Reports/Overview", L, D, O, D, D, O),

        // Pages: sessions
        ["GET /Sessions"] = new("/Sessions", L, O, O, O, O, O),
        ["POST /Sessions"] = new("/Sessions", L, D, D, O, O, O),
        ["GET /Sessions/Details/{id:long?}"] = new("/Sessions/Details/{session}", L, O, O, O, N, O),
        ["POST /Sessions/Details/{id:long?}?handler=Upload"] = new("/Sessions/Details/{session}?handler=Upload", L, O, D, O, N, O),
        ["POST /Sessions/Details/{id:long?}?handler=Close"] = new("/Sessions/Details/{session}?handler=Close", L, D, D, O, N, O),
        ["GET /Sessions/Exceptions/{id:long?}"] = new("/Sessions/Exceptions/{session}", L, O, O, O, N, O),
        ["POST /Sessions/Exceptions/{id:long?}?handler=Edit"] = new("/Sessions/Exceptions/{session}?handler=Edit", L, D, D, O, N, O),
        ["POST /Sessions/Exceptions/{id:long?}?handler=Force"] = new("/Sessions/Exceptions/{session}?handler=Force", L, D, D, O, N, O),
        ["POST /Sessions/Exceptions/{id:long?}?handler=Resolve"] = new("/Sessions/Exceptions/{session}?handler=Resolve", L, D, D, O, N, O),
        ["GET /Sessions/FollowUps/{id:long?}"] = new("/Sessions/FollowUps/{session}", L, O, O, O, N, O),
        // Only sends the browser on to the session's page, which does the checking.
        ["GET /Sessions/Run/{id:long?}"] = new("/Sessions/Run/{session}", L, O, O, O, O, O),
        ["POST /Sessions/Run/{id:long?}?handler=Process"] = new("/Sessions/Run/{session}?handler=Process", L, D, D, O, N, O),
        ["GET /Sessions/Transaction/{id:long}"] = new("/Sessions/Transaction/{transaction}", L, O, O, O, N, O),
        ["POST /Sessions/Run/{id:long?}?handler=Retry"] = new("/Sessions/Run/{session}?handler=Retry", L, D, D, O, N, O),
    };
}
