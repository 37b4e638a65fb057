from guanai.cli import main

main()
