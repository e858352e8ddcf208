"""Masking personal data: persons masked, companies (with a valid credit code) public."""

from supervision import credit_code
from supervision.masking import (
    PublicApplicant,
    mask_id_number,
    mask_name,
    mask_phone,
    public_applicant,
)

COMPANY_CODE = credit_code.make(division6="370202", serial=42, kind="91")


def test_names_keep_the_surname_and_compound_surnames_two_characters():
    assert [mask_name(n) for n in ("张三", "张三丰", "欧阳娜娜", "李")] == [
        "张*",
        "张**",
        "欧阳**",
        "李*",
    ]


def test_id_and_phone_numbers_keep_only_their_ends():
    assert mask_id_number("370202199001011234") == "3702**********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("12345") == "*****"


def test_numbers_of_other_lengths_show_at_most_their_last_third():
    assert mask_id_number("E12345678") == "******678"  # a passport
    assert mask_id_number("370202900101123") == "**********01123"  # an old 15-digit card
    assert mask_phone("88886666") == "********"  # a landline without its area code
    assert mask_phone("053288886666") == "********6666"


def test_a_person_is_masked_whole():
    person = {"name": "张三丰", "idNumber": "370202199001011234", "phone": "13812345678"}

    assert public_applicant(person) == PublicApplicant(
        kind="PERSON",
        name="张**",
        id_number="3702**********1234",
        credit_code=None,
        phone="138****5678",
    )


def test_a_company_is_shown_by_name_and_credit_code_but_its_phone_masked():
    company = {"name": "青岛海信有限公司", "creditCode": COMPANY_CODE, "phone": "053288886666"}

    assert public_applicant(company) == PublicApplicant(
        kind="COMPANY",
        name="青岛海信有限公司",
        id_number=None,
        credit_code=COMPANY_CODE,
        phone="********6666",
    )


def test_a_malformed_credit_code_makes_no_company_and_is_not_shown():
    reported = {"name": "王小明", "creditCode": "370202199001011234"}

    applicant = public_applicant(reported)

    assert (applicant.kind, applicant.name, applicant.credit_code) == ("PERSON", "王**", None)


def test_an_id_number_reported_with_a_company_is_still_cut():
    applicant = public_applicant(
        {"name": "某公司", "creditCode": COMPANY_CODE, "idNumber": "X" * 18}
    )

    assert applicant.id_number == "XXXX**********XXXX"


def test_no_applicant_at_all_gives_nothing_to_show():
    assert public_applicant(None) == PublicApplicant("PERSON", None, None, None, None)
