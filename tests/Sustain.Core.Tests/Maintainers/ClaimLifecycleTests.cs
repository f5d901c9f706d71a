using Sustain.Core.Maintainers;

namespace Sustain.Core.Tests.Maintainers;

public class ClaimLifecycleTests
{
    public static TheoryData<ClaimState, ClaimEvent, ClaimState> Allowed => new()
    {
        { ClaimState.Pending, ClaimEvent.Proved, ClaimState.Verified },
        { ClaimState.Pending, ClaimEvent.Withdrawn, ClaimState.Revoked },
        { ClaimState.Verified, ClaimEvent.Contested, ClaimState.Contested },
        { ClaimState.Verified, ClaimEvent.Withdrawn, ClaimState.Revoked },
        { ClaimState.Contested, ClaimEvent.Upheld, ClaimState.Verified },
        { ClaimState.Contested, ClaimEvent.Rejected, ClaimState.Rejected },
        { ClaimState.Contested, ClaimEvent.Withdrawn, ClaimState.Revoked },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Each_allowed_move_leads_where_it_should(ClaimState from, ClaimEvent @event, ClaimState to)
    {
        Assert.Equal(to, ClaimLifecycle.Next(from, @event));
    }

    [Fact]
    public void Every_other_move_is_refused()
    {
        var allowed = Allowed.Select(row => ((ClaimState)row[0], (ClaimEvent)row[1])).ToHashSet();
        foreach (var state in Enum.GetValues<ClaimState>())
        {
            foreach (var @event in Enum.GetValues<ClaimEvent>().Where(e => !allowed.Contains((state, e))))
                Assert.Null(ClaimLifecycle.Next(state, @event));
        }
    }

    [Theory]
    [InlineData(ClaimState.Rejected)]
    [InlineData(ClaimState.Revoked)]
    public void Rejected_and_revoked_claims_are_final(ClaimState state)
    {
        Assert.All(Enum.GetValues<ClaimEvent>(), e => Assert.Null(ClaimLifecycle.Next(state, e)));
        Assert.False(ClaimLifecycle.IsOpen(state));
        Assert.False(ClaimLifecycle.IsMaintainer(state));
    }

    [Fact]
    public void A_pending_claim_is_open_but_its_holder_is_not_yet_a_maintainer()
    {
        Assert.True(ClaimLifecycle.IsOpen(ClaimState.Pending));
        Assert.False(ClaimLifecycle.IsMaintainer(ClaimState.Pending));
        Assert.True(ClaimLifecycle.IsMaintainer(ClaimState.Contested));
    }
}
