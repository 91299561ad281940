"""The default CI classes with their attribute schemas: created by migration 0002, and again
outside migrations for tests whose database was flushed (transactional and browser tests) and
for scripts. Administrators add classes and edit schemas in the admin; this only creates
missing classes and never overwrites an edited schema. Safe to call repeatedly.
"""

STRING = {"type": "string", "maxLength": 200}
IP = {"type": "string", "pattern": r"^[0-9a-fA-F:.]+$", "maxLength": 45, "title": "IP address"}


def obj(properties, required=()):
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "required": list(required),
        # PostgreSQL's jsonb does not keep key order: forms and pages read the order from here.
        "x-order": list(properties),
    }


DEFAULT_CLASSES = [
    ("server", "Server", "Physical host or hypervisor.", "hdd-rack", "#6f42c1", obj({
        "hostname": {**STRING, "title": "Host name"},
        "ip_address": IP,
        "cpu_count": {"type": "integer", "minimum": 1, "maximum": 1024, "title": "CPU count"},
        "memory_gb": {"type": "number", "minimum": 0, "title": "Memory (GB)"},
        "os": {**STRING, "title": "Operating system"},
        "serial_number": {**STRING, "title": "Serial number"},
        "rack": {**STRING, "title": "Rack"},
    })),
    ("virtual_machine", "Virtual machine", "Virtual machine running on a host or cloud.", "pc-display", "#0d6efd", obj({
        "hostname": {**STRING, "title": "Host name"},
        "ip_address": IP,
        "cpu_count": {"type": "integer", "minimum": 1, "maximum": 512, "title": "vCPU count"},
        "memory_gb": {"type": "number", "minimum": 0, "title": "Memory (GB)"},
        "os": {**STRING, "title": "Operating system"},
        "hypervisor": {"type": "string", "enum": ["vmware", "kvm", "hyper-v", "xen", "cloud"], "title": "Hypervisor"},
    })),
    ("database", "Database", "Database instance or cluster.", "database", "#fd7e14", obj({
        "engine": {"type": "string", "enum": ["postgresql", "mysql", "oracle", "mssql", "mongodb", "redis", "other"],
                   "title": "Engine"},
        "engine_version": {**STRING, "title": "Engine version"},
        "port": {"type": "integer", "minimum": 1, "maximum": 65535, "title": "Port"},
        "size_gb": {"type": "number", "minimum": 0, "title": "Size (GB)"},
        "replicated": {"type": "boolean", "title": "Replicated"},
    }, required=["engine"])),
    ("application", "Application", "Deployed application or component.", "window-stack", "#20c997", obj({
        "app_version": {**STRING, "title": "Version"},
        "url": {"type": "string", "maxLength": 500, "title": "URL"},
        "language": {**STRING, "title": "Language / runtime"},
        "repository": {"type": "string", "maxLength": 500, "title": "Source repository"},
    })),
    ("business_service", "Business service", "Service as the business sees it; what users report against.",
     "briefcase", "#dc3545", obj({
         "service_owner": {**STRING, "title": "Service owner"},
         "sla_tier": {"type": "string", "enum": ["gold", "silver", "bronze"], "title": "SLA tier"},
         "service_hours": {**STRING, "title": "Service hours"},
         "customer_facing": {"type": "boolean", "title": "Customer facing"},
     })),
    ("network_device", "Network device", "Router, switch, firewall or load balancer.", "router", "#198754", obj({
        "device_type": {"type": "string", "enum": ["router", "switch", "firewall", "load_balancer", "access_point"],
                        "title": "Device type"},
        "model": {**STRING, "title": "Model"},
        "ip_address": IP,
        "port_count": {"type": "integer", "minimum": 0, "maximum": 10000, "title": "Port count"},
        "firmware": {**STRING, "title": "Firmware"},
    }, required=["device_type"])),
    ("storage", "Storage", "SAN, NAS or other storage system.", "device-hdd", "#6c757d", obj({
        "storage_type": {"type": "string", "enum": ["san", "nas", "object", "block"], "title": "Storage type"},
        "capacity_tb": {"type": "number", "minimum": 0, "title": "Capacity (TB)"},
        "raid_level": {**STRING, "title": "RAID level"},
        "model": {**STRING, "title": "Model"},
    })),
    ("cloud_resource", "Cloud resource", "Managed resource at a cloud provider.", "cloud", "#0dcaf0", obj({
        "provider": {"type": "string", "enum": ["aws", "azure", "gcp", "oci", "other"], "title": "Provider"},
        "region": {**STRING, "title": "Region"},
        "resource_type": {**STRING, "title": "Resource type"},
        "account_id": {**STRING, "title": "Account"},
        "resource_id": {**STRING, "title": "Resource id"},
    }, required=["provider"])),
]


# Korean names of the shipped classes and of their attributes' titles: class names and attribute
# labels are data people read on every CI page, so they come in the reader's language
# (CIClass.translations, and "x-titles" beside each property's "title").
KOREAN_CLASSES = {
    "server": ("서버", "물리 호스트 또는 하이퍼바이저입니다."),
    "virtual_machine": ("가상 머신", "호스트나 클라우드에서 실행되는 가상 머신입니다."),
    "database": ("데이터베이스", "데이터베이스 인스턴스 또는 클러스터입니다."),
    "application": ("애플리케이션", "배포된 애플리케이션 또는 구성 요소입니다."),
    "business_service": ("비즈니스 서비스", "업무 부서가 인식하는 서비스로, 사용자가 장애를 신고하는 대상입니다."),
    "network_device": ("네트워크 장비", "라우터, 스위치, 방화벽 또는 부하 분산기입니다."),
    "storage": ("스토리지", "SAN, NAS 등 스토리지 시스템입니다."),
    "cloud_resource": ("클라우드 리소스", "클라우드 제공업체의 관리형 리소스입니다."),
}
KOREAN_TITLES = {
    "Host name": "호스트 이름", "IP address": "IP 주소", "CPU count": "CPU 수", "vCPU count": "vCPU 수",
    "Memory (GB)": "메모리(GB)", "Operating system": "운영체제", "Serial number": "일련번호", "Rack": "랙",
    "Hypervisor": "하이퍼바이저", "Engine": "엔진", "Engine version": "엔진 버전", "Port": "포트",
    "Size (GB)": "크기(GB)", "Replicated": "복제 여부", "Version": "버전", "URL": "URL",
    "Language / runtime": "언어 / 런타임", "Source repository": "소스 저장소", "Service owner": "서비스 책임자",
    "SLA tier": "SLA 등급", "Service hours": "서비스 시간", "Customer facing": "고객 대면 여부",
    "Device type": "장비 유형", "Model": "모델", "Port count": "포트 수", "Firmware": "펌웨어",
    "Storage type": "스토리지 유형", "Capacity (TB)": "용량(TB)", "RAID level": "RAID 레벨",
    "Provider": "제공업체", "Region": "리전", "Resource type": "리소스 유형", "Account": "계정",
    "Resource id": "리소스 ID",
}


def with_korean_titles(schema):
    """The schema with "x-titles": {"ko": ...} beside every shipped property title it lacks one for."""
    properties = {}
    for name, spec in (schema.get("properties") or {}).items():
        korean = KOREAN_TITLES.get(spec.get("title", ""))
        if korean and "ko" not in (spec.get("x-titles") or {}):
            spec = {**spec, "x-titles": {**(spec.get("x-titles") or {}), "ko": korean}}
        properties[name] = spec
    return {**schema, "properties": properties} if properties else schema


def korean_translations(slug, translations):
    if slug not in KOREAN_CLASSES or "ko" in (translations or {}):
        return translations
    name, description = KOREAN_CLASSES[slug]
    return {**(translations or {}), "ko": {"name": name, "description": description}}


def create_classes(apps, schema_editor=None):
    CIClass = apps.get_model("cmdb", "CIClass")
    translated = any(field.name == "translations" for field in CIClass._meta.fields)
    for slug, name, description, icon, colour, attribute_schema in DEFAULT_CLASSES:
        defaults = {"name": name, "description": description, "icon": icon, "colour": colour,
                    "attribute_schema": attribute_schema}
        if translated:  # migration 0002 runs before the field exists (0004 adds it)
            defaults.update(translations=korean_translations(slug, {}),
                            attribute_schema=with_korean_titles(attribute_schema))
        CIClass.objects.get_or_create(slug=slug, defaults=defaults)


def translate_classes(apps, schema_editor=None):
    """Korean names for the shipped classes already in a database; an edited schema keeps its
    edits and only gains the Korean titles of the properties it still has."""
    CIClass = apps.get_model("cmdb", "CIClass")
    for ci_class in CIClass.objects.filter(slug__in=KOREAN_CLASSES):
        ci_class.translations = korean_translations(ci_class.slug, ci_class.translations)
        ci_class.attribute_schema = with_korean_titles(ci_class.attribute_schema or {})
        ci_class.save(update_fields=["translations", "attribute_schema"])


def ensure_default_classes():
    from django.apps import apps

    create_classes(apps)
