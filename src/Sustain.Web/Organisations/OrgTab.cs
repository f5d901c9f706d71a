namespace Sustain.Web.Organisations;

public enum OrgTab
{
    Overview,
    Dependencies,
    Projects,
    Suggest,
    Policy,
    Snapshots,
    Risks,
    Pledges,
    Settings,
    Members,
    Tokens,
}
