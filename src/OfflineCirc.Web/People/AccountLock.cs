namespace OfflineCirc.Web.People;

/// <summary>
/// When an account counts as locked out, in one place for every check: a sign-in cookie's on each request, a bearer
/// token's, and the account pages' "locked" mark. It is Identity's rule (UserManager.IsLockedOutAsync): lock-out enabled
/// for the account, and its end not yet past.
/// </summary>
public static class AccountLock
{
    public static bool IsLockedOut(bool lockoutEnabled, DateTimeOffset? lockoutEnd, DateTimeOffset now) =>
        lockoutEnabled && lockoutEnd is { } end && end >= now;

    /// <summary>The lock-out's end when the account is locked out now; null when it is not.</summary>
    public static DateTimeOffset? LockedUntil(bool lockoutEnabled, DateTimeOffset? lockoutEnd, DateTimeOffset now) =>
        IsLockedOut(lockoutEnabled, lockoutEnd, now) ? lockoutEnd : null;
}
