"""Demo data: the Lombok complex with 353 homes, one user per role, contractors, a budget year.

Every step is an upsert by a natural key, so loading twice changes nothing.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import transaction
from django.utils import timezone

from budget.models import BudgetLine, FinancialYear
from tickets.constants import PhaseCode, Responsibility, Urgency
from tickets.models import (
    Contract,
    Contractor,
    Phase,
    RepairRequest,
    ResponsibilityRule,
    WorkCategory,
)
from zelfbeheer.accounts.models import User
from zelfbeheer.accounts.roles import MFA_REQUIRED_ROLES, Role
from zelfbeheer.accounts.services import role_groups_ensure, user_set_roles
from zelfbeheer.housing.models import Building, Complex, ContactPreference, Home, Household

DEMO_PASSWORD = "lombok-demo-2026"  # noqa: S105 - printed for the local demo only
SOCIAL_MANAGEMENT_START = date(2026, 1, 1)
DAILY_MAINTENANCE_START = date(2026, 7, 1)
BEFORE_SELF_MANAGEMENT = date(2020, 1, 1)

# Fictional streets; six buildings of the one complex, 353 homes in all.
BUILDINGS = [
    ("A", "Kaneelstraat", "3531 KA", 59),
    ("B", "Anijsstraat", "3531 KB", 59),
    ("C", "Kruidnagelstraat", "3531 KC", 59),
    ("D", "Saffraanstraat", "3531 KD", 59),
    ("E", "Gemberstraat", "3531 KE", 59),
    ("F", "Kardemomstraat", "3531 KG", 58),
]
SURNAMES = [
    "De Vries", "Yılmaz", "El Amrani", "Jansen", "Öztürk", "Bakker", "Bouzid", "Visser", "Kaya", "Smit",
    "Haddou", "Mulder", "Demir", "De Boer", "Ait Said", "Meijer", "Çelik", "Bos", "Benali", "Vos",
]  # fmt: skip

# (trade code, trade name, [(defect code, defect name, urgency, responsibility override, guidance, shared)])
CATEGORY_TREE = [
    ("plumbing", "Loodgieterswerk", [
        ("leaking-tap", "Lekkende kraan", Urgency.NORMAL, None, "", False),
        ("tap-washer", "Kraanleertje vervangen", Urgency.NORMAL, Responsibility.TENANT,
         "Een kraanleertje vervangen is volgens het Besluit kleine herstellingen uw eigen taak.", False),
        ("blocked-drain", "Verstopte afvoer", Urgency.URGENT, None, "", False),
        ("flooding", "Wateroverlast of lekkage", Urgency.EMERGENCY, None, "Draai de hoofdkraan dicht.", False),
    ]),
    ("heating", "Verwarming", [
        ("no-heating", "Geen verwarming", Urgency.URGENT, None, "", False),
        ("radiator-cold", "Radiator blijft koud", Urgency.NORMAL, None, "Ontlucht eerst de radiator.", False),
    ]),
    ("electrical", "Elektra", [
        ("socket-broken", "Stopcontact defect", Urgency.NORMAL, None, "", False),
        ("light-bulb", "Lamp vervangen", Urgency.NORMAL, Responsibility.TENANT,
         "Lampen vervangen is uw eigen taak.", False),
    ]),
    ("doors-locks", "Deuren en sloten", [
        ("front-door-lock", "Slot voordeur defect", Urgency.URGENT, None, "", False),
        ("window-hinge", "Raam sluit niet", Urgency.NORMAL, None, "", False),
    ]),
    ("shared-areas", "Gemeenschappelijke ruimten", [
        ("stairwell-light", "Verlichting portiek", Urgency.NORMAL, None, "", True),
        ("entrance-door", "Portiekdeur sluit niet", Urgency.URGENT, None, "", True),
    ]),
    ("roof", "Dak en goten", [
        ("roof-leak", "Daklekkage", Urgency.URGENT, Responsibility.CORPORATION, "", True),
    ]),
]  # fmt: skip

# The tenant reads category names and guidance in their own language: English, Turkish, Arabic.
CATEGORY_TRANSLATIONS = {
    "plumbing": {"en": ("Plumbing", ""), "tr": ("Sıhhi tesisat", ""), "ar": ("السباكة", "")},
    "leaking-tap": {"en": ("Leaking tap", ""), "tr": ("Damlayan musluk", ""), "ar": ("صنبور يسرب الماء", "")},
    "tap-washer": {
        "en": ("Replace a tap washer", "Replacing a tap washer is your own job under the rules for small repairs."),
        "tr": ("Musluk contası değiştirme", "Küçük onarımlar yönetmeliğine göre musluk contasını değiştirmek sizin işinizdir."),
        "ar": ("تغيير جلدة الصنبور", "تغيير جلدة الصنبور من مسؤوليتكم حسب قواعد الإصلاحات الصغيرة."),
    },
    "blocked-drain": {"en": ("Blocked drain", ""), "tr": ("Tıkalı gider", ""), "ar": ("مصرف مسدود", "")},
    "flooding": {
        "en": ("Flooding or a leak", "Close the main water tap."),
        "tr": ("Su baskını veya sızıntı", "Ana su vanasını kapatın."),
        "ar": ("فيضان أو تسرب مياه", "أغلقوا محبس المياه الرئيسي."),
    },
    "heating": {"en": ("Heating", ""), "tr": ("Isıtma", ""), "ar": ("التدفئة", "")},
    "no-heating": {"en": ("No heating", ""), "tr": ("Isıtma çalışmıyor", ""), "ar": ("لا توجد تدفئة", "")},
    "radiator-cold": {
        "en": ("Radiator stays cold", "Bleed the radiator first."),
        "tr": ("Radyatör soğuk kalıyor", "Önce radyatörün havasını alın."),
        "ar": ("المدفأة تبقى باردة", "قوموا أولًا بتنفيس الهواء من المدفأة."),
    },
    "electrical": {"en": ("Electrics", ""), "tr": ("Elektrik", ""), "ar": ("الكهرباء", "")},
    "socket-broken": {"en": ("Broken socket", ""), "tr": ("Bozuk priz", ""), "ar": ("مقبس كهرباء معطل", "")},
    "light-bulb": {
        "en": ("Replace a light bulb", "Replacing light bulbs is your own job."),
        "tr": ("Ampul değiştirme", "Ampul değiştirmek sizin işinizdir."),
        "ar": ("تغيير المصباح", "تغيير المصابيح من مسؤوليتكم."),
    },
    "doors-locks": {"en": ("Doors and locks", ""), "tr": ("Kapılar ve kilitler", ""), "ar": ("الأبواب والأقفال", "")},
    "front-door-lock": {
        "en": ("Front door lock broken", ""), "tr": ("Dış kapı kilidi bozuk", ""), "ar": ("قفل الباب الأمامي معطل", ""),
    },
    "window-hinge": {"en": ("Window does not close", ""), "tr": ("Pencere kapanmıyor", ""), "ar": ("النافذة لا تُغلق", "")},
    "shared-areas": {"en": ("Shared areas", ""), "tr": ("Ortak alanlar", ""), "ar": ("الأماكن المشتركة", "")},
    "stairwell-light": {
        "en": ("Stairwell lighting", ""), "tr": ("Merdiven boşluğu aydınlatması", ""), "ar": ("إنارة الدرج", ""),
    },
    "entrance-door": {
        "en": ("Entrance door does not close", ""), "tr": ("Bina giriş kapısı kapanmıyor", ""),
        "ar": ("باب المدخل لا يُغلق", ""),
    },
    "roof": {"en": ("Roof and gutters", ""), "tr": ("Çatı ve oluklar", ""), "ar": ("السطح والمزاريب", "")},
    "roof-leak": {"en": ("Roof leak", ""), "tr": ("Çatı sızıntısı", ""), "ar": ("تسرب من السطح", "")},
}  # fmt: skip


def _translated_texts(code: str, dutch_name: str, dutch_guidance: str = "") -> dict[str, str]:
    texts = {"name_nl": dutch_name, "tenant_guidance_nl": dutch_guidance}
    for language, (name, guidance) in CATEGORY_TRANSLATIONS.get(code, {}).items():
        texts[f"name_{language}"] = name
        texts[f"tenant_guidance_{language}"] = guidance
    return texts


BUDGET_LINES = [
    ("DO-01", "Dagelijks onderhoud installaties", "WBedOnhOiw", Decimal("180000.00"),
     ["plumbing", "heating", "electrical"]),
    ("DO-02", "Dagelijks onderhoud bouwkundig", "WBedOnhObw", Decimal("120000.00"),
     ["doors-locks", "shared-areas", "roof"]),
    ("SB-01", "Sociaal beheer en personeel", "WPerLesSal", Decimal("95000.00"), []),
    ("KA-01", "Wijkkantoor en organisatie", "WBedHuiHur", Decimal("25000.00"), []),
]  # fmt: skip

DEMO_USERS = [
    (Role.TENANT, "huurder@example.org", "Fatma", "Yılmaz"),
    (Role.DESK, "balie@example.org", "Sanne", "de Baliemedewerker"),
    (Role.SOCIAL, "sociaal@example.org", "Rachid", "de Sociaal Beheerder"),
    (Role.CONTRACTOR, "vakman@example.org", "Kees", "de Loodgieter"),
    (Role.BOARD, "bestuur@example.org", "Anne", "de Penningmeester"),
    (Role.CORPORATION, "boex@example.org", "Esther", "van Bo-Ex"),
    (Role.COORDINATOR, "coordinator@example.org", "Jeroen", "de Coördinator"),
]


@dataclass
class DemoLogin:
    role: Role
    email: str
    password: str
    totp_secret: str | None


def demo_load() -> list[DemoLogin]:
    role_groups_ensure()
    with transaction.atomic():
        homes = _homes_load()
        households = _households_load(homes)
        categories = _categories_load()
        contractors = _contractors_load(categories)
        _budget_load(categories)
        logins = _users_load(households[0], contractors[0])
    _sample_requests_load(households[0], categories)
    _sample_social_cases_load(households)
    _sample_money_load()
    return logins


def _homes_load() -> list[Home]:
    lombok, _ = Complex.objects.update_or_create(code="LOMBOK-507", defaults={"name": "Lombok 507"})
    homes = []
    unit = 0
    for code, street, postcode, count in BUILDINGS:
        building, _ = Building.objects.update_or_create(
            complex=lombok, code=code, defaults={"name": f"Blok {code} ({street})"}
        )
        for number in range(1, count + 1):
            unit += 1
            home, _ = Home.objects.update_or_create(
                unit_id=f"VHE{unit:05d}",
                defaults={
                    "building": building,
                    "street": street,
                    "house_number": number,
                    "house_number_addition": "",
                    "postcode": postcode,
                    "city": "Utrecht",
                },
            )
            homes.append(home)
    return homes


def _households_load(homes: list[Home]) -> list[Household]:
    languages = ["nl", "nl", "nl", "tr", "ar", "nl", "en"]
    preferences = [ContactPreference.EMAIL] * 5 + [
        ContactPreference.PHONE,
        ContactPreference.LETTER,
    ]
    households = []
    for index, home in enumerate(homes):
        household, _ = Household.objects.update_or_create(
            home=home,
            end_date=None,
            defaults={
                "name": f"Huishouden {SURNAMES[index % len(SURNAMES)]}",
                "start_date": date(2015 + index % 10, 1 + index % 12, 1),
                "preferred_language": languages[index % len(languages)],
                "contact_preference": preferences[index % len(preferences)],
                "has_service_subscription": index % 4 == 0,
            },
        )
        households.append(household)
    return households


def _phases_load() -> None:
    for code, starts_on in (
        (PhaseCode.SOCIAL_MANAGEMENT, SOCIAL_MANAGEMENT_START),
        (PhaseCode.DAILY_MAINTENANCE, DAILY_MAINTENANCE_START),
    ):
        Phase.objects.update_or_create(code=code, defaults={"starts_on": starts_on})


def _categories_load() -> dict[str, WorkCategory]:
    _phases_load()
    categories = {}
    for trade_code, trade_name, defects in CATEGORY_TREE:
        trade, _ = WorkCategory.objects.update_or_create(
            code=trade_code, defaults={"parent": None, **_translated_texts(trade_code, trade_name)}
        )
        categories[trade_code] = trade
        trade_is_corporation = trade_code == "roof"
        ResponsibilityRule.objects.update_or_create(
            category=trade,
            effective_from=BEFORE_SELF_MANAGEMENT,
            defaults={"responsibility": Responsibility.CORPORATION},
        )
        ResponsibilityRule.objects.update_or_create(
            category=trade,
            effective_from=DAILY_MAINTENANCE_START,
            defaults={
                "responsibility": Responsibility.CORPORATION
                if trade_is_corporation
                else Responsibility.FOUNDATION
            },
        )
        for code, name, urgency, responsibility, guidance, shared in defects:
            defect, _ = WorkCategory.objects.update_or_create(
                code=code,
                defaults={
                    "parent": trade,
                    "default_urgency": urgency,
                    "is_shared_area": shared,
                    **_translated_texts(code, name, guidance),
                },
            )
            categories[code] = defect
            if responsibility is not None:
                ResponsibilityRule.objects.update_or_create(
                    category=defect,
                    effective_from=BEFORE_SELF_MANAGEMENT,
                    defaults={"responsibility": responsibility},
                )
    return categories


def _contractors_load(categories: dict[str, WorkCategory]) -> list[Contractor]:
    lombok = Complex.objects.get(code="LOMBOK-507")
    specs = [
        ("Installatiebedrijf De Kraan", "12345678", "opdrachten@dekraan.example.org", ["plumbing", "heating"], 1),
        ("Bouw- en Elektrobedrijf Lombok", "87654321", "werk@bouwlombok.example.org",
         ["electrical", "doors-locks", "shared-areas", "plumbing"], 2),
    ]  # fmt: skip
    contractors = []
    for name, kvk, email, trades, priority in specs:
        contractor, _ = Contractor.objects.update_or_create(
            kvk_number=kvk,
            defaults={"name": name, "email": email, "phone": "030 123 45 67", "is_active": True},
        )
        contract, _ = Contract.objects.update_or_create(
            contractor=contractor,
            valid_from=date(2026, 1, 1),
            defaults={
                "valid_until": date(2027, 12, 31),
                "hourly_rate": Decimal("52.50"),
                "call_out_fee": Decimal("35.00"),
                "annual_ceiling": Decimal("150000.00"),
                "priority": priority,
            },
        )
        contract.trades.set([categories[code] for code in trades])
        contract.complexes.set([lombok])
        contractors.append(contractor)
    return contractors


def _budget_load(categories: dict[str, WorkCategory]) -> None:
    for year in (2026, 2027):
        financial_year, _ = FinancialYear.objects.update_or_create(
            year=year, defaults={"baseline_cost_per_home": Decimal("1150.00")}
        )
        for code, name, rgs, amount, trades in BUDGET_LINES:
            line, _ = BudgetLine.objects.update_or_create(
                financial_year=financial_year,
                code=code,
                defaults={"name": name, "rgs_code": rgs, "annual_amount": amount},
            )
            line.categories.set([categories[trade] for trade in trades])


def _users_load(tenant_household: Household, contractor: Contractor) -> list[DemoLogin]:
    logins = []
    for role, email, first_name, last_name in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first_name, "last_name": last_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == Role.COORDINATOR
            user.save()
        user_set_roles(user, role)
        secret = None
        if role in MFA_REQUIRED_ROLES:
            authenticator = Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).first()
            if authenticator is None:
                secret = generate_totp_secret()
                TOTP.activate(user, secret)
        if role == Role.TENANT:
            tenant_household.members.add(user)
            user.preferred_language = user.preferred_language or "nl"
            user.save(update_fields=["preferred_language"])
        if role == Role.CONTRACTOR:
            contractor.users.add(user)
        logins.append(DemoLogin(role, email, DEMO_PASSWORD, secret))
    return logins


def _sample_requests_load(household: Household, categories: dict[str, WorkCategory]) -> None:
    from tickets.services import repair_request_submit

    if RepairRequest.objects.filter(household=household).exists():
        return
    reporter = household.members.first()
    repair_request_submit(
        household=household,
        reporter=reporter,
        category=categories["radiator-cold"],
        room="living_room",
        description="De radiator in de woonkamer blijft koud, ook na ontluchten.",
        availability="Maandag en woensdag ochtend",
    )


def _sample_social_cases_load(households: list[Household]) -> None:
    """A few fictional case files so the social worker's pages and the board's counts are not empty."""
    from social import services
    from social.models import CaseSource, CaseType, NuisanceKind, PartyRole, SocialCase

    if SocialCase.objects.exists():
        return
    worker = User.objects.get(email="sociaal@example.org")
    noise = services.nuisance_report_submit(
        household=households[1],
        submitted_by=worker,
        nuisance_kind=NuisanceKind.NOISE,
        what="Harde muziek na middernacht, bijna elke nacht.",
        since_when="weeks",
        may_be_contacted=True,
        subject_home=households[2].home,
    )
    noise.assigned_workers.add(worker)
    services.nuisance_report_submit(
        household=households[10],
        submitted_by=worker,
        nuisance_kind=NuisanceKind.WASTE,
        what="Vuilniszakken in het trappenhuis.",
        since_when="months",
        may_be_contacted=False,
        subject_description="Iemand van de tweede verdieping",
    )
    support = services.case_open(
        case_type=CaseType.SUPPORT,
        title="Hulp bij post en formulieren",
        intake_text="Bewoner krijgt veel brieven die hij niet begrijpt.",
        source=CaseSource.OFFICE,
        created_by=worker,
        workers=[worker],
    )
    services.case_party_add(support, role=PartyRole.REPORTER, household=households[20])
    services.case_open(
        case_type=CaseType.SUPPORT,
        title="Eenzaamheid",
        intake_text="Buurvrouw maakt zich zorgen om een oudere bewoner.",
        source=CaseSource.CORPORATION,
        referrer_organisation="Bo-Ex",
        referrer_email="wijkconsulent@boex.example.org",
    )


def _sample_money_load() -> None:
    """This year's grant in tranches, monthly office and staff costs, and two invoices (fictional)."""
    from budget import services
    from budget.models import Expense, ExpenseCategory, Grant

    today = timezone.localdate()
    financial_year = FinancialYear.objects.filter(year=today.year).first()
    if financial_year is None or Grant.objects.filter(financial_year=financial_year).exists():
        return
    coordinator = User.objects.get(email="coordinator@example.org")
    treasurer = User.objects.get(email="bestuur@example.org")
    lines = {line.code: line for line in financial_year.budget_lines.all()}
    grant = services.grant_record(
        financial_year=financial_year,
        description=f"Beheervergoeding Bo-Ex {today.year}",
        amount=Decimal("420000.00"),
        granted_on=date(today.year, 1, 2),
        tranches=[(date(today.year, month, 1), Decimal("105000.00")) for month in (1, 4, 7, 10)],
    )
    for tranche in grant.tranches.filter(expected_on__lte=today):
        services.tranche_mark_received(tranche, received_on=tranche.expected_on)
    if Expense.objects.exists():
        return
    for month in range(1, today.month + 1):
        for code, category, description, amount in (
            ("KA-01", ExpenseCategory.OFFICE, "Huur wijkkantoor", Decimal("1250.00")),
            ("SB-01", ExpenseCategory.STAFF, "Salaris sociaal beheerder", Decimal("6500.00")),
        ):
            services.expense_record(
                entered_by=coordinator,
                budget_line=lines[code],
                category=category,
                description=description,
                amount_excl_vat=amount,
                vat_amount=Decimal("0.00"),
                spent_on=date(today.year, month, 1),
            )
    services.expense_record(
        entered_by=coordinator,
        budget_line=lines["SB-01"],
        category=ExpenseCategory.TRAINING,
        description="Training buurtbemiddeling",
        amount_excl_vat=Decimal("850.00"),
        vat_amount=Decimal("178.50"),
        spent_on=date(today.year, 3, 12),
    )
    approved = services.invoice_enter(
        entered_by=coordinator,
        supplier_name="Glashandel Lombok",
        invoice_number=f"GL-{today.year}-118",
        invoice_date=date(today.year, 2, 10),
        amount_excl_vat=Decimal("412.50"),
        vat_amount=Decimal("86.63"),
        budget_line=lines["DO-02"],
        description="Ruit trappenhuis vervangen",
    )
    services.invoice_approve(approved, approver=treasurer)
    services.invoice_enter(
        entered_by=coordinator,
        supplier_name="Schilderwerken Utrecht",
        invoice_number=f"SU-{today.year}-031",
        invoice_date=today,
        amount_excl_vat=Decimal("3180.00"),
        vat_amount=Decimal("667.80"),
        budget_line=lines["DO-02"],
        description="Schilderwerk trappenhuis blok C (wacht op twee bestuursleden)",
    )
