"""The clause catalogue of ISO/IEC 20000-1:2018, clauses 4 to 10, with short titles of our own in
English and Korean (the standard's text is not reproduced). Plain data: the document register,
audits and the readiness view name clauses by these ids, and nothing else is a valid clause.

Which record types serve a clause, and the rules that light it red, amber or green, belong to
the `iso` app; this module only says which clauses exist.
"""

from dataclasses import dataclass

from django.utils.translation import get_language


@dataclass(frozen=True)
class Clause:
    id: str
    title_en: str
    title_ko: str

    @property
    def parent_id(self) -> str | None:
        return self.id.rsplit(".", 1)[0] if "." in self.id else None

    @property
    def depth(self) -> int:
        return self.id.count(".")

    @property
    def title(self) -> str:
        """The title in the active language (Korean for any ko* language, English otherwise)."""
        return self.title_ko if (get_language() or "").startswith("ko") else self.title_en

    def __str__(self):
        return f"{self.id} {self.title}"


CLAUSES: tuple[Clause, ...] = tuple(Clause(*row) for row in (
    ("4", "Context of the organisation", "조직의 상황"),
    ("4.1", "The organisation and its context", "조직과 조직의 상황 이해"),
    ("4.2", "Interested parties and their expectations", "이해관계자의 요구와 기대"),
    ("4.3", "Scope of the service management system", "서비스 관리 체계의 범위"),
    ("4.4", "The service management system", "서비스 관리 체계"),
    ("5", "Leadership", "리더십"),
    ("5.1", "Leadership and commitment", "리더십과 의지"),
    ("5.2", "Service management policy", "서비스 관리 방침"),
    ("5.3", "Roles, responsibilities and authorities", "역할, 책임 및 권한"),
    ("6", "Planning", "기획"),
    ("6.1", "Risks and opportunities", "리스크와 기회 대응"),
    ("6.2", "Service management objectives", "서비스 관리 목표와 달성 계획"),
    ("6.3", "Service management plan", "서비스 관리 계획"),
    ("7", "Support", "지원"),
    ("7.1", "Resources", "자원"),
    ("7.2", "Competence", "역량"),
    ("7.3", "Awareness", "인식"),
    ("7.4", "Communication", "의사소통"),
    ("7.5", "Documented information", "문서화된 정보"),
    ("7.6", "Knowledge", "지식"),
    ("8", "Operation", "운영"),
    ("8.1", "Operational planning and control", "운영 기획 및 관리"),
    ("8.2", "Service portfolio", "서비스 포트폴리오"),
    ("8.2.1", "Delivering services", "서비스 제공"),
    ("8.2.2", "Planning services", "서비스 기획"),
    ("8.2.3", "Parties in the service life cycle", "서비스 수명 주기 관련 당사자 관리"),
    ("8.2.4", "Service catalogue", "서비스 카탈로그 관리"),
    ("8.2.5", "Assets", "자산 관리"),
    ("8.2.6", "Configuration", "구성 관리"),
    ("8.3", "Relationships and agreements", "관계 및 협약"),
    ("8.3.1", "Relationships and agreements: general", "관계 및 협약 일반"),
    ("8.3.2", "Business relationships", "비즈니스 관계 관리"),
    ("8.3.3", "Service levels", "서비스 수준 관리"),
    ("8.3.4", "Suppliers", "공급자 관리"),
    ("8.4", "Supply and demand", "공급과 수요"),
    ("8.4.1", "Budgeting and accounting", "서비스 예산 및 회계"),
    ("8.4.2", "Demand", "수요 관리"),
    ("8.4.3", "Capacity", "용량 관리"),
    ("8.5", "Design, build and transition", "서비스 설계, 구축 및 전환"),
    ("8.5.1", "Changes", "변경 관리"),
    ("8.5.2", "Design and transition of services", "서비스 설계 및 전환"),
    ("8.5.3", "Releases and deployments", "릴리스 및 배포 관리"),
    ("8.6", "Resolution and fulfilment", "해결 및 이행"),
    ("8.6.1", "Incidents", "인시던트 관리"),
    ("8.6.2", "Service requests", "서비스 요청 관리"),
    ("8.6.3", "Problems", "문제 관리"),
    ("8.7", "Service assurance", "서비스 보증"),
    ("8.7.1", "Availability", "서비스 가용성 관리"),
    ("8.7.2", "Continuity", "서비스 연속성 관리"),
    ("8.7.3", "Information security", "정보보호 관리"),
    ("9", "Performance evaluation", "성과 평가"),
    ("9.1", "Monitoring, measurement, analysis and evaluation", "모니터링, 측정, 분석 및 평가"),
    ("9.2", "Internal audit", "내부 심사"),
    ("9.3", "Management review", "경영 검토"),
    ("9.4", "Service reporting", "서비스 보고"),
    ("10", "Improvement", "개선"),
    ("10.1", "Nonconformity and corrective action", "부적합 및 시정 조치"),
    ("10.2", "Continual improvement", "지속적 개선"),
))

BY_ID: dict[str, Clause] = {clause.id: clause for clause in CLAUSES}
IDS: frozenset[str] = frozenset(BY_ID)


def get(clause_id: str) -> Clause | None:
    return BY_ID.get(str(clause_id).strip())


def unknown(clause_ids) -> list[str]:
    """The ids among `clause_ids` that name no clause, in the order given (for a 400 naming them)."""
    return [c for c in clause_ids if str(c).strip() not in IDS]


def choices():
    return [(clause.id, str(clause)) for clause in CLAUSES]
