namespace Sustain.Web.Organisations;

public enum OrgTab
{
    Overview,
    Dependencies,
    Projects,
    Pledges,
    Settings,
    Members,
    Tokens,
}
