namespace OfflineCirc.Core.Replay.Rules;

/// <summary>Sends each captured transaction to the rule of its type.</summary>
internal static class Replayer
{
    public static Outcome Apply(TxRow tx, ReplayState s, RunContext ctx) => tx.Type switch
    {
        "checkout" => Checkout.Apply(tx, s, ctx),
        "renew" => Renewal.Apply(tx, s, ctx),
        "checkin" => Checkin.Apply(tx, s, ctx),
        "in_house_use" => InHouseUse.Apply(tx, s, ctx),
        "register" => Registration.Apply(tx, s, ctx),
        "payment" => Payment.Apply(tx, s, ctx),
        _ => new Outcome().Fail($"Unknown transaction type '{tx.Type}'."),
    };
}
