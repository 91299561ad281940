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


def create_classes(apps, schema_editor=None):
    CIClass = apps.get_model("cmdb", "CIClass")
    for slug, name, description, icon, colour, attribute_schema in DEFAULT_CLASSES:
        CIClass.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "icon": icon, "colour": colour,
                      "attribute_schema": attribute_schema},
        )


def ensure_default_classes():
    from django.apps import apps

    create_classes(apps)
