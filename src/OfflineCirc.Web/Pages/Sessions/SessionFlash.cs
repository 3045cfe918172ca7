namespace OfflineCirc.Web.Pages.Sessions;

/// <summary>
/// The one-time message a session action leaves for the page it returns to. Run, retry, correct, force and resolve all
/// use these keys, so the session page and the exceptions page each show whatever was done from either.
/// </summary>
public static class SessionFlash
{
    public const string MessageKey = "SessionMessage";
    public const string ErrorKey = "SessionError";
}
