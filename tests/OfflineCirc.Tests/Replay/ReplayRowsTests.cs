using OfflineCirc.Core.Replay;

namespace OfflineCirc.Tests.Replay;

/// <summary>The rows a run holds keep times as ticks and missing values as a mark: what goes in comes back.</summary>
public class ReplayRowsTests
{
    [Fact]
    public void A_loan_gives_back_its_times_as_the_same_instants_and_its_missing_values_as_null()
    {
        var checkout = DateTimeOffset.Parse("2026-11-15T14:05:00-05:00", System.Globalization.CultureInfo.InvariantCulture);
        var loan = new CirculationRow { CheckoutTime = checkout, DueTime = checkout.AddDays(14) };

        Assert.Equal(checkout, loan.CheckoutTime);
        Assert.Equal(TimeSpan.Zero, loan.CheckoutTime.Offset);
        Assert.Equal(checkout.AddDays(14), loan.DueTime);
        Assert.Null(loan.CheckinTime);
        Assert.Null(loan.CheckoutWorkstationId);
        Assert.Null(loan.CheckinOrgId);
        Assert.Null(loan.PolicyId);
        Assert.Null(loan.OriginSessionId);
        Assert.Null(loan.CloseTransactionId);

        loan.CheckinTime = checkout.AddDays(3);
        loan.CheckinOrgId = 4;
        loan.PolicyId = 0;
        loan.OriginSessionId = long.MaxValue;
        loan.CloseTransactionId = 1;
        Assert.Equal(checkout.AddDays(3), loan.CheckinTime);
        Assert.Equal(4, loan.CheckinOrgId);
        Assert.Equal(0, loan.PolicyId);
        Assert.Equal(long.MaxValue, loan.OriginSessionId);
        Assert.Equal(1, loan.CloseTransactionId);

        loan.CheckinTime = null;
        loan.PolicyId = null;
        Assert.Null(loan.CheckinTime);
        Assert.Null(loan.PolicyId);
    }

    [Fact]
    public void An_item_and_a_transit_keep_the_earliest_time_apart_from_no_time()
    {
        var item = new ItemRow { Barcode = "1", StatusChangedAt = DateTimeOffset.MinValue, StatusChangeSessionId = 7 };
        Assert.Equal(DateTimeOffset.MinValue, item.StatusChangedAt);
        Assert.Equal(7, item.StatusChangeSessionId);
        Assert.Null(new ItemRow { Barcode = "2" }.StatusChangedAt);

        var transit = new TransitRow { SentTime = DateTimeOffset.UnixEpoch, HoldId = 3 };
        Assert.Equal(DateTimeOffset.UnixEpoch, transit.SentTime);
        Assert.Null(transit.ReceivedTime);
        Assert.Null(transit.WorkstationId);
        Assert.Equal(3, transit.HoldId);
    }
}
