using System.Collections.Frozen;

namespace OfflineCirc.Core.Replay;

/// <summary>
/// The catalogue of replay result codes (docs/result-codes.md). These strings are a contract shared by the replay,
/// the pages, the CSV reports and the API: add new ones, never rename.
/// </summary>
public static class ResultCodes
{
    public const string ActorUserNotFound = "ACTOR_USER_NOT_FOUND";
    public const string AssetCopyNotFound = "ASSET_COPY_NOT_FOUND";
    public const string NoncatTypeNotFound = "NONCAT_TYPE_NOT_FOUND";
    public const string PatronCardInactive = "PATRON_CARD_INACTIVE";
    public const string PatronInactive = "PATRON_INACTIVE";
    public const string PatronAccountExpired = "PATRON_ACCOUNT_EXPIRED";
    public const string PatronBarred = "PATRON_BARRED";
    public const string PatronExceedsFines = "PATRON_EXCEEDS_FINES";
    public const string PatronExceedsCheckoutCount = "PATRON_EXCEEDS_CHECKOUT_COUNT";
    public const string PatronBlocked = "PATRON_BLOCKED";
    public const string CopyAlertMessage = "COPY_ALERT_MESSAGE";
    public const string CopyStatusLost = "COPY_STATUS_LOST";
    public const string CopyStatusMissing = "COPY_STATUS_MISSING";
    public const string CopyInTransit = "COPY_IN_TRANSIT";
    public const string ItemOnHoldsShelf = "ITEM_ON_HOLDS_SHELF";
    public const string OpenCirculationExists = "OPEN_CIRCULATION_EXISTS";
    public const string DueDateAdjustedClosed = "DUE_DATE_ADJUSTED_CLOSED";
    public const string DueDateInPast = "DUE_DATE_IN_PAST";
    public const string ActionCirculationNotFound = "ACTION_CIRCULATION_NOT_FOUND";
    public const string MaxRenewalsReached = "MAX_RENEWALS_REACHED";
    public const string PatronMismatch = "PATRON_MISMATCH";
    public const string ItemHasHolds = "ITEM_HAS_HOLDS";
    public const string NoChange = "NO_CHANGE";
    public const string CopyStatusLongOverdue = "COPY_STATUS_LONG_OVERDUE";
    public const string CircClaimsReturned = "CIRC_CLAIMS_RETURNED";
    public const string RouteItem = "ROUTE_ITEM";
    public const string PatronBarcodeExists = "PATRON_BARCODE_EXISTS";
    public const string UsernameExists = "USERNAME_EXISTS";
    public const string PossibleDuplicatePatron = "POSSIBLE_DUPLICATE_PATRON";
    public const string SkipAssetChanged = "SKIP_ASSET_CHANGED";
    public const string PaymentExceedsBalance = "PAYMENT_EXCEEDS_BALANCE";

    /// <summary>Every code with what it means, in words staff understand.</summary>
    public static readonly FrozenDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        [ActorUserNotFound] = "No patron has this card barcode.",
        [AssetCopyNotFound] = "No item has this barcode.",
        [NoncatTypeNotFound] = "The non-catalogued type is unknown at this library.",
        [PatronCardInactive] = "The card used is inactive (for example reported lost).",
        [PatronInactive] = "The patron's account is inactive.",
        [PatronAccountExpired] = "The patron's account had expired.",
        [PatronBarred] = "The patron is barred.",
        [PatronExceedsFines] = "The patron owed more than the fine limit of their group.",
        [PatronExceedsCheckoutCount] = "The patron already had as many loans as their group allows.",
        [PatronBlocked] = "The patron has a standing block on their account.",
        [CopyAlertMessage] = "The item carries an alert message.",
        [CopyStatusLost] = "The item was marked lost.",
        [CopyStatusMissing] = "The item was marked missing.",
        [CopyInTransit] = "The item was in transit; the transit was closed.",
        [ItemOnHoldsShelf] = "The item was on the holds shelf for another patron.",
        [OpenCirculationExists] = "The item was already checked out; that loan was closed or renewed.",
        [DueDateAdjustedClosed] = "The chosen due date fell on a closed day and was moved to the next open day.",
        [DueDateInPast] = "The due date was already past when the session was processed.",
        [ActionCirculationNotFound] = "The item was not checked out, so it could not be renewed.",
        [MaxRenewalsReached] = "The loan was renewed more often than the policy allows.",
        [PatronMismatch] = "The patron barcode given is not the borrower's.",
        [ItemHasHolds] = "Another patron is waiting for this item.",
        [NoChange] = "The item was not checked out.",
        [CopyStatusLongOverdue] = "The item was marked long overdue.",
        [CircClaimsReturned] = "The patron had claimed to have returned the item.",
        [RouteItem] = "The item belongs to another library and was sent home.",
        [PatronBarcodeExists] = "Another patron already has this card barcode.",
        [UsernameExists] = "Another patron already has this username.",
        [PossibleDuplicatePatron] = "An existing patron has the same name and date of birth, or the same email.",
        [SkipAssetChanged] = "The item changed elsewhere after this was recorded, so it was not applied.",
        [PaymentExceedsBalance] = "The payment was more than the patron owed; the rest is kept as credit.",
    }.ToFrozenDictionary();

    public static IReadOnlyCollection<string> All => Descriptions.Keys;

    public static string Describe(string code) => Descriptions.TryGetValue(code, out var text) ? text : code;
}

/// <summary>Work a result leaves for staff (the follow-up worklist, docs/result-codes.md).</summary>
public static class FollowUpKinds
{
    public const string HoldShelf = "HOLD_SHELF";
    public const string HoldTransit = "HOLD_TRANSIT";
    public const string TransitHome = "TRANSIT_HOME";
    public const string LostReturned = "LOST_RETURNED";
    public const string PossibleDuplicatePatron = "POSSIBLE_DUPLICATE_PATRON";
    public const string BlockedPatronLoan = "BLOCKED_PATRON_LOAN";

    public static readonly FrozenDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        [HoldShelf] = "Put the item on the holds shelf for the patron who asked for it.",
        [HoldTransit] = "Send the item to the pickup library of the hold it fills.",
        [TransitHome] = "Send the item back to the library that owns it.",
        [LostReturned] = "A lost item came back: review any lost-item charge for a refund.",
        [PossibleDuplicatePatron] = "Check whether the new patron duplicates an existing one.",
        [BlockedPatronLoan] = "A loan was recorded for a patron who was blocked, barred, expired or inactive.",
    }.ToFrozenDictionary();

    public static IReadOnlyCollection<string> All => Descriptions.Keys;

    public static string Describe(string kind) => Descriptions.TryGetValue(kind, out var text) ? text : kind;
}
